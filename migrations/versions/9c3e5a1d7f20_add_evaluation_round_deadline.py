"""Add a deadline to evaluation rounds

Revision ID: 9c3e5a1d7f20
Revises: 7d3c2a9e41b6
Create Date: 2026-12-04 18:20:00.000000

Rounds that exist already keep a NULL deadline, so the reminder sweep
passes them over.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c3e5a1d7f20'
down_revision = '7d3c2a9e41b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('evaluation_round', schema=None) as batch_op:
        batch_op.drop_column('deadline')
