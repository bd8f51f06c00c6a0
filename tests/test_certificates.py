"""Certificate numbers: unique and sequential per department and year."""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import select

from workflow import engine
from workflow.certificates import format_certificate_number, issue_certificate_number
from workflow.extensions import db
from workflow.models import CertificateSerial, Counselor, Department, Role
from workflow.states.counselor import CounselorState as S


def _issue(department, day):
    number = issue_certificate_number(department, day)
    db.session.commit()
    return number


def test_format_certificate_number():
    assert format_certificate_number("420525", 2026, 7) == "420525-2026-0007"


def test_numbers_sequential_in_department(app_context, department):
    county = department("420525")

    numbers = [_issue(county, date(2026, 3, day)) for day in (2, 3, 4)]

    assert numbers == ["420525-2026-0001", "420525-2026-0002", "420525-2026-0003"]


def test_each_department_counts_alone(app_context, department):
    _issue(department("420525"), date(2026, 3, 2))
    _issue(department("420525"), date(2026, 3, 2))

    number = _issue(department("420526"), date(2026, 3, 2))

    assert number == "420526-2026-0001"


def test_serial_restarts_each_year(app_context, department):
    county = department("420525")
    _issue(county, date(2026, 12, 31))
    _issue(county, date(2026, 12, 31))

    number = _issue(county, date(2027, 1, 4))

    assert number == "420525-2027-0001"
    assert _issue(county, date(2026, 12, 31)) == "420525-2026-0003"


def test_rolled_back_serial_is_reused(app_context, department):
    county = department("420525")
    _issue(county, date(2026, 3, 2))
    issue_certificate_number(county, date(2026, 3, 2))
    db.session.rollback()

    assert _issue(county, date(2026, 3, 2)) == "420525-2026-0002"


def test_appointments_get_consecutive_numbers(make_user, make_counselor, frozen_clock):
    leader = make_user("420525", Role.LEADER)
    records = [make_counselor("420525", S.PUBLIC_NOTICE) for _ in range(3)]
    frozen_clock(datetime(2026, 3, 10, 10, 0))

    for record in records:
        engine.fire(Counselor, record.id, "appoint", leader)

    numbers = db.session.scalars(
        select(Counselor.certificate_number).order_by(Counselor.id)
    ).all()
    assert numbers == ["420525-2026-0001", "420525-2026-0002", "420525-2026-0003"]


def test_concurrent_issues_get_distinct_numbers(app, app_context, department):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("concurrent transactions need PostgreSQL or MariaDB")
    department_id = department("420525").id
    db.session.close()
    barrier = threading.Barrier(4, timeout=10)
    numbers = []

    def issue():
        with app.app_context():
            county = db.session.get(Department, department_id)
            barrier.wait()
            numbers.append(issue_certificate_number(county, date(2026, 3, 2)))
            db.session.commit()

    threads = [threading.Thread(target=issue) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(numbers) == [f"420525-2026-000{n}" for n in range(1, 5)]
    counter = db.session.get(CertificateSerial, (department_id, 2026))
    assert counter.last_serial == 4


def test_rolled_back_first_serial_is_reused(app_context, department):
    county = department("420525")
    issue_certificate_number(county, date(2026, 3, 2))
    db.session.rollback()

    assert _issue(county, date(2026, 3, 2)) == "420525-2026-0001"
