"""Widen stored files and import reports on MariaDB

Revision ID: 8a5f3c1e7b92
Revises: 4e1b7c9a2d65
Create Date: 2026-12-04 22:20:00.000000

MariaDB's BLOB and TEXT hold at most 64 KiB, so an uploaded workbook, its
validation report or a strike-off's evidence file larger than that could
not be stored. LONGBLOB and LONGTEXT hold the sizes the upload limits allow.
PostgreSQL's bytea and text and SQLite's BLOB and TEXT have no such limit,
so nothing changes there.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import mysql


# revision identifiers, used by Alembic.
revision = '8a5f3c1e7b92'
down_revision = '4e1b7c9a2d65'
branch_labels = None
depends_on = None

COLUMNS = (
    ('import_batch', 'content', sa.LargeBinary(), mysql.LONGBLOB()),
    ('import_batch', 'report', sa.Text(), mysql.LONGTEXT()),
    ('strike_off', 'evidence', sa.LargeBinary(), mysql.LONGBLOB()),
)


def upgrade():
    _change_types(widen=True)


def downgrade():
    _change_types(widen=False)


def _change_types(widen):
    if op.get_bind().dialect.name not in ('mysql', 'mariadb'):
        return
    for table, column, narrow, wide in COLUMNS:
        old, new = (narrow, wide) if widen else (wide, narrow)
        op.alter_column(
            table, column, type_=new, existing_type=old, existing_nullable=True
        )
