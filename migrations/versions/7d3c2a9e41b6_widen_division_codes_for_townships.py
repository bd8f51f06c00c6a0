"""Widen division codes so township departments carry their real codes

Township (乡镇) codes have nine digits (twelve in the statistical form), so
``department.code`` and ``counselor_service_area.division_code`` grow from
six characters to twelve.

Revision ID: 7d3c2a9e41b6
Revises: 2501c739b185
Create Date: 2026-12-04 18:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d3c2a9e41b6'
down_revision = '2501c739b185'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.alter_column(
            'code',
            existing_type=sa.String(length=6),
            type_=sa.String(length=12),
            existing_nullable=False,
        )
    with op.batch_alter_table('counselor_service_area', schema=None) as batch_op:
        batch_op.alter_column(
            'division_code',
            existing_type=sa.String(length=6),
            type_=sa.String(length=12),
            existing_nullable=False,
        )


def downgrade():
    # Narrowing fails while a township department or a township service
    # area exists; remove those rows first.
    with op.batch_alter_table('counselor_service_area', schema=None) as batch_op:
        batch_op.alter_column(
            'division_code',
            existing_type=sa.String(length=12),
            type_=sa.String(length=6),
            existing_nullable=False,
        )
    with op.batch_alter_table('department', schema=None) as batch_op:
        batch_op.alter_column(
            'code',
            existing_type=sa.String(length=12),
            type_=sa.String(length=6),
            existing_nullable=False,
        )
