"""Add indexes that read a department's queue in waiting order

Revision ID: 7c3e91d2a4f0
Revises: 7c1e5d2a9b40
Create Date: 2026-12-04 18:20:00.000000

The queue's first page takes the oldest waiting records. With only the
(department, state, waiting since) index, PostgreSQL sorted every waiting
record of the department to find them; these indexes let it read them in
order and stop after one page (docs/benchmarks.md).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7c3e91d2a4f0'
down_revision = '7c1e5d2a9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_counselor_waiting',
        'counselor',
        ['department_id', 'state_changed_at', 'id'],
        unique=False,
    )
    op.create_index(
        'ix_service_center_waiting',
        'service_center',
        ['department_id', 'state_changed_at', 'id'],
        unique=False,
    )


def downgrade():
    op.drop_index('ix_service_center_waiting', table_name='service_center')
    op.drop_index('ix_counselor_waiting', table_name='counselor')
