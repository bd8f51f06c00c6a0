"""Time dashboards at national scale and certificate PDFs by batch size.

Run with ``.venv/bin/python bench/dashboards.py``. It builds a throwaway
SQLite database with the whole department tree, 30,000 counselors in
office spread over the counties, 3,000 waiting records and 20,000 audit
events of the last 12 weeks. Each timing is printed as a ratio to a
baseline measured in the same run. For the dashboards the baseline is a
plain ``SELECT count(*)`` of the counselor table, and for the batches it
is one certificate.
"""

import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from web import create_app  # noqa: E402
from web.certificates.pdf import CertificateView, certificates_pdf  # noqa: E402
from workflow.dashboards import build_dashboard, load_department  # noqa: E402
from workflow.divisions import load_department_tree  # noqa: E402
from workflow.extensions import db  # noqa: E402
from workflow.models import AuditEvent, Counselor, Department, User  # noqa: E402
from workflow.models.counselor import CounselorIndustry, CounselorWorkArea  # noqa: E402
from workflow.models.department import DepartmentLevel  # noqa: E402
from workflow.roles import Role  # noqa: E402
from workflow.states.counselor import CounselorState  # noqa: E402
from workflow.vocabulary import INDUSTRIES, WORK_AREAS  # noqa: E402

TODAY = date(2026, 6, 1)
IN_OFFICE = 30_000
WAITING = 3_000
REPEATS = 3


def _counselor_rows(counties, count, state, rng):
    for number in range(count):
        county = rng.choice(counties)
        yield {
            "state": state,
            "department_id": county,
            "name": f"辅导员{number}",
            "gender": "女",
            "id_number": f"{number:018d}",
            "birth_date": date(1980, 1, 1),
            "ethnicity": "汉族",
            "political_status": "群众",
            "education": "大学本科",
            "employer": "合作社",
            "mobile": "13900000000",
            "source": "农技员",
            "working_mode": rng.choice(("专职", "兼职")),
            "entry_mode": "聘任",
            "notice_working_days": 5,
            "term_years": 3,
            "state_changed_at": datetime(2026, 5, 1)
            - timedelta(days=rng.randrange(90)),
            "term_ends_on": date(2028, 12, 31)
            if state is CounselorState.APPOINTED
            else None,
        }


def _fill(rng):
    counties = db.session.scalars(
        select(Department.id).where(Department.level == DepartmentLevel.COUNTY)
    ).all()
    rows = list(_counselor_rows(counties, IN_OFFICE, CounselorState.APPOINTED, rng))
    rows += _counselor_rows(counties, WAITING, CounselorState.UNDER_REVIEW, rng)
    for offset, row in enumerate(rows[IN_OFFICE:]):
        row["id_number"] = f"9{offset:017d}"
    db.session.execute(insert(Counselor), rows)
    ids = db.session.scalars(select(Counselor.id)).all()
    db.session.execute(
        insert(CounselorWorkArea),
        [{"counselor_id": i, "work_area": rng.choice(WORK_AREAS)} for i in ids],
    )
    db.session.execute(
        insert(CounselorIndustry),
        [{"counselor_id": i, "industry": rng.choice(INDUSTRIES)} for i in ids],
    )
    _fill_audit(rng, ids, counties)
    db.session.commit()


def _fill_audit(rng, ids, counties):
    user = User(
        username="bench",
        display_name="bench",
        password_hash="!",
        department_id=counties[0],
    )
    db.session.add(user)
    db.session.flush()
    events = [
        {
            "record_type": "counselor",
            "record_id": rng.choice(ids),
            "action": "nominate",
            "from_state": "draft",
            "to_state": "nominated",
            "actor_id": user.id,
            "department_id": rng.choice(counties),
            "created_at": datetime(2026, 5, 31) - timedelta(hours=rng.randrange(2000)),
        }
        for _ in range(20_000)
    ]
    db.session.execute(insert(AuditEvent), events)


def _median_seconds(action):
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _time_dashboards():
    viewer = User(username="viewer", display_name="viewer", password_hash="!")
    viewer.department = db.session.scalar(
        select(Department).where(Department.code == "000000")
    )
    viewer.set_roles([Role.SUPERVISOR])
    db.session.add(viewer)
    db.session.commit()
    baseline = _median_seconds(
        lambda: db.session.scalar(select(func.count(Counselor.id)))
    )
    print(f"baseline SELECT count(*): {baseline * 1000:.2f} ms")
    for code in ("000000", "420000", "420525"):
        department = load_department(viewer, code)
        seconds = _median_seconds(
            lambda d=department: build_dashboard(viewer, d, TODAY)
        )
        print(f"dashboard {code}: {seconds * 1000:.0f} ms, {seconds / baseline:.0f}x")


def _time_certificates():
    def view(number):
        return CertificateView(
            f"420525-2026-{number:04d}",
            "欧阳春花",
            "县级",
            "组织建设",
            "远安县农业农村局",
            date(2026, 3, 1),
            date(2029, 2, 28),
            date(2026, 3, 1),
            f"https://fudao.example.cn/verify/420525-2026-{number:04d}",
        )

    baseline = _median_seconds(lambda: certificates_pdf([view(1)]))
    print(f"baseline one certificate: {baseline:.2f} s")
    for size in (100, 200, 500):
        batch = [view(n) for n in range(size)]
        seconds = _median_seconds(lambda b=batch: certificates_pdf(b))
        print(f"{size} certificates: {seconds:.1f} s, {seconds / baseline:.1f}x")


def main():
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            "testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.db"
        )
        with app.test_request_context():
            db.create_all()
            load_department_tree(app.config["EXCLUDED_PROVINCE_CODES"])
            _fill(random.Random(2026))
            _time_dashboards()
            _time_certificates()
            db.engine.dispose()


if __name__ == "__main__":
    main()
