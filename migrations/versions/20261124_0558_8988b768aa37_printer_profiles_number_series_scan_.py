"""Printer profiles, number series (SSCC serials), scan exceptions from PDA offline queues.

Revision ID: 8988b768aa37
Revises: 4139333ac712
Create Date: 2026-11-24 05:58:04.595015

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8988b768aa37'
down_revision = '4139333ac712'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('number_series',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('next_value', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('next_value >= 1', name=op.f('ck_number_series_next_value_positive')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_number_series'))
    )
    op.create_table('printer_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('dpi', sa.Integer(), nullable=False),
    sa.Column('width_mm', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('height_mm', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('host', sa.String(length=100), nullable=False),
    sa.Column('port', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('pdf', 'zpl', 'tspl')", name=op.f('ck_printer_profiles_language_valid')),
    sa.CheckConstraint('dpi IN (203, 300, 600)', name=op.f('ck_printer_profiles_dpi_supported')),
    sa.CheckConstraint('port BETWEEN 1 AND 65535', name=op.f('ck_printer_profiles_port_valid')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_printer_profiles')),
    sa.UniqueConstraint('code', name=op.f('uq_printer_profiles_code'))
    )
    op.create_table('scan_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=True),
    sa.Column('device', sa.String(length=80), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('request_body', sa.JSON(), nullable=True),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('problem', sa.JSON(), nullable=True),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('resolution_note', sa.String(length=500), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('open', 'resolved', 'dismissed')", name=op.f('ck_scan_exceptions_state_valid')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_scan_exceptions_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_scan_exceptions_seller_id_sellers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_scan_exceptions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scan_exceptions'))
    )
    with op.batch_alter_table('scan_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scan_exceptions_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_scan_exceptions_state', ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_scan_exceptions_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('scan_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scan_exceptions_user_id'))
        batch_op.drop_index('ix_scan_exceptions_state')
        batch_op.drop_index(batch_op.f('ix_scan_exceptions_created_at'))

    op.drop_table('scan_exceptions')
    op.drop_table('printer_profiles')
    op.drop_table('number_series')
