"""Let the database refuse a second active record for one ID number

Revision ID: 4e1b7c9a2d65
Revises: 7c3e91d2a4f0
Create Date: 2026-12-04 21:30:00.000000

A generated column holds the ID number of a record in an active state and
NULL otherwise, and a unique index covers it. PostgreSQL stores the column,
because it has no virtual generated columns. SQLite keeps it virtual,
because ALTER TABLE cannot add a stored one. MariaDB stores it.

The upgrade stops, and changes nothing, if two active records already
share an ID number: those must be settled by hand first.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e1b7c9a2d65'
down_revision = '7c3e91d2a4f0'
branch_labels = None
depends_on = None

# The active states when this revision was written, as stored.
ACTIVE = (
    "'DRAFT', 'NOMINATED', 'UNDER_REVIEW', 'RETURNED', 'PUBLIC_NOTICE', "
    "'APPOINTED', 'TERM_ENDING'"
)
EXPRESSION = f"CASE WHEN state IN ({ACTIVE}) THEN id_number END"


def upgrade():
    _check_no_duplicates()
    stored = op.get_bind().dialect.name != 'sqlite'
    op.add_column(
        'counselor',
        sa.Column(
            'active_id_number',
            sa.String(length=18),
            sa.Computed(EXPRESSION, persisted=stored),
            nullable=True,
        ),
    )
    op.create_index(
        'uq_counselor_active_id_number',
        'counselor',
        ['active_id_number'],
        unique=True,
    )


def downgrade():
    op.drop_index('uq_counselor_active_id_number', table_name='counselor')
    op.drop_column('counselor', 'active_id_number')


def _check_no_duplicates():
    rows = op.get_bind().execute(
        sa.text(
            f"SELECT id_number, COUNT(*) FROM counselor WHERE state IN ({ACTIVE}) "
            "GROUP BY id_number HAVING COUNT(*) > 1"
        )
    ).all()
    if rows:
        # Masked as everywhere in logs; the query below finds the records.
        shown = ", ".join(
            f"{number[:6]}********{number[-4:]} ({count} records)"
            for number, count in rows[:20]
        )
        raise RuntimeError(
            f"{len(rows)} ID numbers have more than one active counselor record: "
            f"{shown}. List them with: SELECT id, id_number, state, department_id "
            f"FROM counselor WHERE state IN ({ACTIVE}) AND id_number IN (SELECT "
            f"id_number FROM counselor WHERE state IN ({ACTIVE}) GROUP BY "
            "id_number HAVING COUNT(*) > 1). Move all but one of each to "
            "rejected or withdrawn, then run the upgrade again."
        )
