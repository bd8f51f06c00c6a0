"""A scratch PostgreSQL registry of N counselors with their audit history.

Shared by the queue and engine benchmarks. The schema comes from the
migrations (``flask db upgrade``), so the indexes are the ones production
has. The rows are written by ``INSERT ... SELECT generate_series``, which
loads 300,000 counselors in well under a minute; the ORM would take far
longer and is not what the benchmarks measure.

Every counselor belongs to 远安县, the worst case for that county's queue:
a department that imported the whole national registry at once. States
repeat in blocks of twenty: 2 nominated, 2 under review, 1 on public
notice, 1 term ending (the reviewer's queue, 30%), 1 returned and 13
appointed. Each record has four audit events (nominate, start review,
approve, appoint), two work areas, one industry and one service area.
Every twentieth record, a nomination, is claimed by the benchmark reviewer.
"""

import sys
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
COUNTY = "420525"
REVIEWER = "bench-reviewer"
PASSWORD = "bench-password-2026"

STATE_BLOCKS = (
    ("NOMINATED", 2),
    ("UNDER_REVIEW", 2),
    ("PUBLIC_NOTICE", 1),
    ("TERM_ENDING", 1),
    ("RETURNED", 1),
    ("APPOINTED", 13),
)
AUDIT_STEPS = (
    ("nominate", "draft", "nominated"),
    ("start_review", "nominated", "under_review"),
    ("approve", "under_review", "public_notice"),
    ("appoint", "public_notice", "appointed"),
)


def database_url(name):
    """Return the URL of scratch database ``name`` on the loopback server."""
    return f"{SERVER}/{name}"


def recreate_database(name):
    """Drop and create the scratch database ``name``."""
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()


def build(name, counselors):
    """Create database ``name`` with ``counselors`` records; return the app."""
    from flask_migrate import upgrade

    from web import create_app
    from workflow.divisions import load_department_tree
    from workflow.extensions import db

    recreate_database(name)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url(name))
    with app.app_context():
        upgrade()
        load_department_tree(only_province=COUNTY[:2])
        department_id, reviewer_id = _add_users(db)
        for statement in _load_statements():
            db.session.execute(
                text(statement),
                {"department": department_id, "reviewer": reviewer_id, "n": counselors},
            )
        db.session.commit()
    # What autovacuum does soon after a bulk load: statistics for the
    # planner and the visibility map that index-only scans need.
    engine = create_engine(database_url(name), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return app


def _add_users(db):
    from workflow.models import Department, Role, User

    department = db.session.scalar(select(Department).where(Department.code == COUNTY))
    users = {}
    for username, role in (
        (REVIEWER, Role.REVIEWER),
        ("bench-admin", Role.REGISTRY_ADMIN),
    ):
        user = User(username=username, display_name=username, department=department)
        user.set_password(PASSWORD)
        user.set_roles([role])
        db.session.add(user)
        users[role] = user
    db.session.commit()
    return department.id, users[Role.REVIEWER].id


def _state_case():
    branches, start = [], 0
    for state, count in STATE_BLOCKS:
        branches.append(f"WHEN i % 20 < {start + count} THEN '{state}'")
        start += count
    return "CASE " + " ".join(branches) + " END"


def _load_statements():
    # Waiting times are spread over two years and shuffled against the id
    # by a multiplier prime to n, so the queue's order is not the id order.
    waited = (
        "(timestamp '2024-12-01' + ((i::bigint * 7919) % :n) * interval '2 minutes')"
    )
    counselor = f"""
        INSERT INTO counselor (
            id, version, state, department_id, created_by_id, created_at,
            submitted_at, state_changed_at, name, gender, id_number, birth_date,
            ethnicity, political_status, education, employer, position, mobile,
            source, working_mode, entry_mode, served_cooperatives,
            served_family_farms, served_others, notice_working_days, term_years,
            certificate_number)
        SELECT i, 1, {_state_case()}, :department, :reviewer, {waited},
            {waited}, {waited}, '辅导员' || i, CASE WHEN i % 2 = 0 THEN '女'
            ELSE '男' END, '420525' || lpad(i::text, 12, '0'),
            date '1965-01-01' + (i % 12000), '汉族', '群众', '大学本科',
            '远安县第' || (i % 300) || '合作社', '理事长',
            '139' || lpad(i::text, 8, '0'), '新型农业经营主体带头人', '兼职',
            '聘任', i % 7, i % 5, 0, 5, 3,
            CASE WHEN i % 20 >= 7 THEN '420525-2025-' || lpad(i::text, 6, '0') END
        FROM generate_series(1, :n) AS i
    """
    steps = " UNION ALL ".join(
        f"SELECT {number} AS k, '{action}' AS action, '{source}' AS source, "
        f"'{target}' AS target"
        for number, (action, source, target) in enumerate(AUDIT_STEPS)
    )
    audit = f"""
        INSERT INTO audit_event (record_type, record_id, action, from_state,
            to_state, actor_id, department_id, created_at)
        SELECT 'counselor', c.id, s.action, s.source, s.target, :reviewer,
            :department, c.created_at + s.k * interval '1 day'
        FROM counselor c CROSS JOIN ({steps}) AS s
    """
    return [
        counselor,
        "SELECT setval('counselor_id_seq', :n)",
        audit,
        "INSERT INTO counselor_work_area (counselor_id, work_area) "
        "SELECT id, w FROM counselor, unnest(ARRAY['组织建设', '财务会计']) AS w",
        "INSERT INTO counselor_industry (counselor_id, industry) "
        "SELECT id, '果茶' FROM counselor",
        "INSERT INTO counselor_service_area (counselor_id, division_code) "
        "SELECT id, '420525' FROM counselor",
        "INSERT INTO queue_claim (record_type, record_id, state, assignee_id, "
        "claimed_at) SELECT 'counselor', id, state, :reviewer, created_at "
        "FROM counselor WHERE id % 20 = 1",
    ]
