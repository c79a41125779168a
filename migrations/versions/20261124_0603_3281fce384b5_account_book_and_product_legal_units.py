"""Account book (账册) items and their append-only entries; legal units and book item numbers on products.

Existing products get an empty legal unit (= the declared unit) with factor 1 and no book item number.

Revision ID: 3281fce384b5
Revises: 8988b768aa37
Create Date: 2026-11-24 06:03:00.292522

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3281fce384b5'
down_revision = '8988b768aa37'
branch_labels = None
depends_on = None


def _book_entries_append_only(create: bool):
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("CREATE TRIGGER book_entries_append_only BEFORE UPDATE OR DELETE ON book_entries "
                   "FOR EACH ROW EXECUTE FUNCTION wms_refuse_change()" if create
                   else "DROP TRIGGER book_entries_append_only ON book_entries")
        return
    for action in ("UPDATE", "DELETE"):
        name = f"book_entries_no_{action.lower()}"
        op.execute(f"CREATE TRIGGER {name} BEFORE {action} ON book_entries "
                   f"BEGIN SELECT RAISE(ABORT, 'book_entries is append-only: {action} refused'); END" if create
                   else f"DROP TRIGGER {name}")


def upgrade():
    op.create_table('book_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('book_no', sa.String(length=20), nullable=False),
    sa.Column('seq_no', sa.Integer(), nullable=False),
    sa.Column('item_no', sa.String(length=30), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('hs_code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=3), nullable=False),
    sa.Column('legal_unit', sa.String(length=3), nullable=False),
    sa.Column('qty', sa.Numeric(precision=19, scale=5), nullable=False),
    sa.Column('legal_qty', sa.Numeric(precision=19, scale=5), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('legal_qty >= 0', name=op.f('ck_book_items_legal_qty_not_negative')),
    sa.CheckConstraint('qty >= 0', name=op.f('ck_book_items_qty_not_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_book_items_product_id_products')),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_book_items_seller_id_sellers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_items')),
    sa.UniqueConstraint('book_no', 'item_no', name=op.f('uq_book_items_book_no_item_no')),
    sa.UniqueConstraint('book_no', 'seq_no', name=op.f('uq_book_items_book_no_seq_no')),
    sa.UniqueConstraint('product_id', name=op.f('uq_book_items_product_id'))
    )
    with op.batch_alter_table('book_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_book_items_seller_id'), ['seller_id'], unique=False)

    op.create_table('book_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('book_item_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=1), nullable=False),
    sa.Column('qty', sa.Numeric(precision=19, scale=5), nullable=False),
    sa.Column('legal_qty', sa.Numeric(precision=19, scale=5), nullable=False),
    sa.Column('doc_type', sa.String(length=20), nullable=False),
    sa.Column('doc_no', sa.String(length=40), nullable=False),
    sa.Column('gate_pass_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('movement_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(direction = 'I' AND qty > 0) OR (direction = 'E' AND qty < 0)", name=op.f('ck_book_entries_sign_follows_direction')),
    sa.CheckConstraint("direction IN ('I', 'E')", name=op.f('ck_book_entries_direction_valid')),
    sa.CheckConstraint("doc_type IN ('opening', 'inv', 'sas_stock', 'passport', 'adjustment')", name=op.f('ck_book_entries_doc_type_valid')),
    sa.ForeignKeyConstraint(['book_item_id'], ['book_items.id'], name=op.f('fk_book_entries_book_item_id_book_items')),
    sa.ForeignKeyConstraint(['movement_id'], ['movements.id'], name=op.f('fk_book_entries_movement_id_movements')),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_book_entries_seller_id_sellers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_book_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_book_entries'))
    )
    with op.batch_alter_table('book_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_book_entries_book_item_id'), ['book_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_entries_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_book_entries_doc', ['doc_type', 'doc_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_book_entries_seller_id'), ['seller_id'], unique=False)

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_unit1', sa.String(length=3), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('legal_factor1', sa.Numeric(precision=19, scale=5), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('legal_unit2', sa.String(length=3), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('legal_factor2', sa.Numeric(precision=19, scale=5), nullable=True))
        batch_op.add_column(sa.Column('book_item_no', sa.String(length=30), nullable=False, server_default=''))


    _book_entries_append_only(create=True)

def downgrade():
    _book_entries_append_only(create=False)
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('book_item_no')
        batch_op.drop_column('legal_factor2')
        batch_op.drop_column('legal_unit2')
        batch_op.drop_column('legal_factor1')
        batch_op.drop_column('legal_unit1')

    with op.batch_alter_table('book_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_book_entries_seller_id'))
        batch_op.drop_index('ix_book_entries_doc')
        batch_op.drop_index(batch_op.f('ix_book_entries_created_at'))
        batch_op.drop_index(batch_op.f('ix_book_entries_book_item_id'))

    op.drop_table('book_entries')
    with op.batch_alter_table('book_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_book_items_seller_id'))

    op.drop_table('book_items')
