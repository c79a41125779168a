"""Three-document match (三单对碰) exceptions: export lists refused because order, payment or waybill disagree.

Revision ID: 23eff34ccb77
Revises: 888eddaa0e5e
Create Date: 2026-11-24 06:57:38.115026

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '23eff34ccb77'
down_revision = '888eddaa0e5e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('customs_match_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('order_no', sa.String(length=60), nullable=False),
    sa.Column('logistics_no', sa.String(length=32), nullable=False),
    sa.Column('mismatches', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state IN ('open', 'resolved', 'dismissed')", name=op.f('ck_customs_match_exceptions_state_valid')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_customs_match_exceptions_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_customs_match_exceptions_seller_id_sellers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customs_match_exceptions'))
    )
    with op.batch_alter_table('customs_match_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customs_match_exceptions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_match_exceptions_order_no'), ['order_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_match_exceptions_seller_id'), ['seller_id'], unique=False)



def downgrade():
    with op.batch_alter_table('customs_match_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customs_match_exceptions_seller_id'))
        batch_op.drop_index(batch_op.f('ix_customs_match_exceptions_order_no'))
        batch_op.drop_index(batch_op.f('ix_customs_match_exceptions_created_at'))

    op.drop_table('customs_match_exceptions')
