"""Orders: partial indexes for shipped and 汇总待报 orders; the seller index folded into (seller, status).

Revision ID: 51a42708bcc3
Revises: 414984211122
Create Date: 2026-11-24 11:52:00.304357

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '51a42708bcc3'
down_revision = '414984211122'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_seller_id'))
        batch_op.create_index('ix_orders_shipped', ['warehouse_id', 'shipped_at'], unique=False, postgresql_where=sa.text("status = 'shipped'"), sqlite_where=sa.text("status = 'shipped'"))
        batch_op.create_index('ix_orders_summary_pending', ['warehouse_id', 'shipped_at'], unique=False, postgresql_where=sa.text("summary_state = 'pending'"), sqlite_where=sa.text("summary_state = 'pending'"))



def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_summary_pending', postgresql_where=sa.text("summary_state = 'pending'"), sqlite_where=sa.text("summary_state = 'pending'"))
        batch_op.drop_index('ix_orders_shipped', postgresql_where=sa.text("status = 'shipped'"), sqlite_where=sa.text("status = 'shipped'"))
        batch_op.create_index(batch_op.f('ix_orders_seller_id'), ['seller_id'], unique=False)

