"""Customs declarations: records with their business keys and customs state, the message log (every message
sent and receipt received, with its XML), and each record's timeline.

Revision ID: 888eddaa0e5e
Revises: 3281fce384b5
Create Date: 2026-11-24 06:22:49.112898

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '888eddaa0e5e'
down_revision = '3281fce384b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('customs_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('message_type', sa.String(length=20), nullable=False),
    sa.Column('guid', sa.String(length=64), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('xml', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("direction IN ('out', 'in')", name=op.f('ck_customs_messages_direction_valid')),
    sa.CheckConstraint("status IN ('queued', 'sent', 'failed', 'scheduled', 'received', 'processed', 'unmatched', 'error')", name=op.f('ck_customs_messages_status_valid')),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_customs_messages_seller_id_sellers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customs_messages'))
    )
    with op.batch_alter_table('customs_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customs_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_customs_messages_due', ['direction', 'status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_messages_guid'), ['guid'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_messages_message_type'), ['message_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_messages_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_messages_seller_id'), ['seller_id'], unique=False)

    op.create_table('customs_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('guid', sa.String(length=36), nullable=False),
    sa.Column('cop_no', sa.String(length=30), nullable=False),
    sa.Column('order_no', sa.String(length=60), nullable=False),
    sa.Column('logistics_code', sa.String(length=18), nullable=False),
    sa.Column('logistics_no', sa.String(length=32), nullable=False),
    sa.Column('ebc_code', sa.String(length=18), nullable=False),
    sa.Column('ebp_code', sa.String(length=18), nullable=False),
    sa.Column('agent_code', sa.String(length=18), nullable=False),
    sa.Column('pre_no', sa.String(length=18), nullable=False),
    sa.Column('invt_no', sa.String(length=20), nullable=False),
    sa.Column('sum_no', sa.String(length=18), nullable=False),
    sa.Column('app_type', sa.String(length=1), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('return_status', sa.String(length=10), nullable=False),
    sa.Column('return_info', sa.String(length=1000), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('order', 'payment', 'waybill', 'arrival', 'departure', 'inventory', 'cancel', 'waybill_bill', 'summary')", name=op.f('ck_customs_records_kind_valid')),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_customs_records_seller_id_sellers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customs_records')),
    sa.UniqueConstraint('guid', name=op.f('uq_customs_records_guid'))
    )
    with op.batch_alter_table('customs_records', schema=None) as batch_op:
        batch_op.create_index('ix_customs_records_cop_no', ['cop_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_records_invt_no'), ['invt_no'], unique=False)
        batch_op.create_index('ix_customs_records_kind_status', ['kind', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_records_logistics_no'), ['logistics_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_records_order_no'), ['order_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_customs_records_seller_id'), ['seller_id'], unique=False)

    op.create_table('customs_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('event', sa.String(length=30), nullable=False),
    sa.Column('return_status', sa.String(length=10), nullable=False),
    sa.Column('return_info', sa.String(length=1000), nullable=False),
    sa.Column('return_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_before', sa.String(length=20), nullable=False),
    sa.Column('status_after', sa.String(length=20), nullable=False),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['customs_messages.id'], name=op.f('fk_customs_events_message_id_customs_messages')),
    sa.ForeignKeyConstraint(['record_id'], ['customs_records.id'], name=op.f('fk_customs_events_record_id_customs_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customs_events'))
    )
    with op.batch_alter_table('customs_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customs_events_record_id'), ['record_id'], unique=False)



def downgrade():
    with op.batch_alter_table('customs_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customs_events_record_id'))

    op.drop_table('customs_events')
    with op.batch_alter_table('customs_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customs_records_seller_id'))
        batch_op.drop_index(batch_op.f('ix_customs_records_order_no'))
        batch_op.drop_index(batch_op.f('ix_customs_records_logistics_no'))
        batch_op.drop_index('ix_customs_records_kind_status')
        batch_op.drop_index(batch_op.f('ix_customs_records_invt_no'))
        batch_op.drop_index('ix_customs_records_cop_no')

    op.drop_table('customs_records')
    with op.batch_alter_table('customs_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customs_messages_seller_id'))
        batch_op.drop_index(batch_op.f('ix_customs_messages_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_customs_messages_message_type'))
        batch_op.drop_index(batch_op.f('ix_customs_messages_guid'))
        batch_op.drop_index('ix_customs_messages_due')
        batch_op.drop_index(batch_op.f('ix_customs_messages_created_at'))

    op.drop_table('customs_messages')
