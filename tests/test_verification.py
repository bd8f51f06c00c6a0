"""The public certificate verification page."""

from datetime import date, datetime

import pytest

from tests.helpers import appoint, person_values, png_bytes
from workflow import clock, engine
from workflow.conduct import Evidence, strike_off_counselor
from workflow.extensions import db, limiter
from workflow.models import CertificateStatus, Counselor, CounselorTerm, Role
from workflow.states.counselor import CounselorState
from workflow.term_endings import mark_terms_ending


@pytest.fixture
def public(app, app_context):
    """Return an anonymous client with the rate-limit counters cleared."""
    limiter.reset()
    yield app.test_client()
    limiter.reset()


@pytest.fixture
def certificate(nominate_counselor, frozen_clock):
    record = nominate_counselor(
        "420525",
        "appointed",
        at=datetime(2026, 3, 2, 9, 0),
        name="欧阳春花",
        work_areas=["组织建设"],
        mobile="13811112222",
    )
    frozen_clock(datetime(2026, 6, 1, 9, 0))
    return record


@pytest.fixture
def staff(make_user):
    return {
        "admin": make_user("420525", Role.REGISTRY_ADMIN),
        "reviewer": make_user("420525", Role.REVIEWER),
        "leader": make_user("420525", Role.LEADER),
    }


@pytest.fixture
def counselor(staff, frozen_clock):
    """Return a counselor appointed on 2023-03-09 for three years."""
    return appoint(
        staff["admin"],
        staff["reviewer"],
        date(2023, 3, 1),
        person_values(1, work_areas=["市场营销"]),
    )


def _verdict(client, number):
    response = client.get(f"/verify/{number}")
    assert response.status_code == 200, number
    page = response.get_data(as_text=True)
    return page[page.index('class="verdict') :].split(">", 1)[1].split("<", 1)[0]


def _at(day):
    clock.freeze(datetime.combine(day, datetime.min.time()).replace(hour=10))


def _renew(counselor, staff, day):
    _at(day)
    mark_terms_ending()
    return engine.fire(Counselor, counselor.id, "renew", staff["leader"])


def test_valid_certificate(public, certificate):
    response = public.get(f"/verify/{certificate.certificate_number}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="verdict verdict-valid">有效<' in page
    assert "欧阳春花" in page
    assert "组织建设" in page


def test_page_shows_only_name_and_type(public, certificate):
    page = public.get(f"/verify/{certificate.certificate_number}").get_data(
        as_text=True
    )
    facts = page[page.index('<dl class="facts">') : page.index("</dl>")]

    assert facts.count("<dt>") == 3
    assert "证书编号" in facts
    assert "欧阳春花" in facts
    assert "组织建设" in facts
    assert certificate.department.name not in page
    assert certificate.term_starts_on.isoformat() not in page


def test_renewed_terms_old_certificate_is_expired(public, counselor, staff):
    old_number = counselor.certificate_number

    renewed = _renew(counselor, staff, date(2026, 1, 5))

    assert renewed.certificate_number != old_number
    assert _verdict(public, old_number) == "已失效"
    assert _verdict(public, renewed.certificate_number) == "有效"


def test_old_certificate_shows_holder(public, counselor, staff):
    old_number = counselor.certificate_number
    _renew(counselor, staff, date(2026, 1, 5))

    page = public.get(f"/verify/{old_number}").get_data(as_text=True)

    assert old_number in page
    assert counselor.name in page
    assert "市场营销" in page


def test_renewal_marks_old_term_expired(counselor, staff):
    _renew(counselor, staff, date(2026, 1, 5))

    first, second = db.session.scalars(
        db.select(CounselorTerm)
        .where(CounselorTerm.counselor_id == counselor.id)
        .order_by(CounselorTerm.number)
    ).all()
    assert first.certificate_status is CertificateStatus.EXPIRED
    assert second.certificate_status is CertificateStatus.VALID


def test_struck_off_term_stays_revoked_after_reinstatement(public, counselor, staff):
    revoked_number = counselor.certificate_number
    _at(date(2024, 6, 3))
    strike_off_counselor(
        staff["leader"],
        counselor.id,
        "improper_benefit",
        "利用辅导为亲属合作社争取项目",
        Evidence("处理决定.png", png_bytes()),
        counselor.version,
    )
    assert _verdict(public, revoked_number) == "已撤销"

    _at(date(2024, 9, 2))
    reinstated = engine.fire(
        Counselor, counselor.id, "reinstate", staff["leader"], comment="复议撤销处理"
    )

    assert _verdict(public, revoked_number) == "已撤销"
    assert _verdict(public, reinstated.certificate_number) == "有效"


def test_every_term_certificate_found(public, counselor, staff):
    first = counselor.certificate_number
    second = _renew(counselor, staff, date(2026, 1, 5)).certificate_number
    third = _renew(counselor, staff, date(2029, 1, 8)).certificate_number

    verdicts = [_verdict(public, number) for number in (first, second, third)]

    assert len({first, second, third}) == 3
    assert verdicts == ["已失效", "已失效", "有效"]


def test_current_certificate_expires_after_term(public, counselor, staff):
    renewed = _renew(counselor, staff, date(2026, 1, 5))

    _at(date(2029, 3, 9))

    assert renewed.term_ends_on == date(2029, 3, 8)
    assert _verdict(public, renewed.certificate_number) == "已失效"


def test_page_shows_nothing_personal(public, certificate):
    page = public.get(f"/verify/{certificate.certificate_number}").get_data(
        as_text=True
    )

    for private in (
        certificate.id_number,
        certificate.id_number[:6] + "********",
        certificate.mobile,
        certificate.employer,
        certificate.birth_date.isoformat(),
    ):
        assert private not in page, private


def test_expired_certificate(public, certificate, frozen_clock):
    frozen_clock(datetime(2029, 3, 12, 9, 0))

    page = public.get(f"/verify/{certificate.certificate_number}").get_data(
        as_text=True
    )

    assert certificate.term_ends_on.isoformat() == "2029-03-11"
    assert 'class="verdict verdict-expired">已失效<' in page


def test_revoked_certificate(public, certificate):
    # No step revokes a certificate yet; a record that left the appointed
    # state while keeping its number is what a strike-off will leave.
    certificate.state = CounselorState.REJECTED
    db.session.commit()

    page = public.get(f"/verify/{certificate.certificate_number}").get_data(
        as_text=True
    )

    assert 'class="verdict verdict-revoked">已撤销<' in page


@pytest.mark.parametrize(
    "number", ["420525-2026-9999", "420525-2026-0001x", "../../etc", "4205252026"]
)
def test_unknown_or_malformed_number_not_found(public, certificate, number):
    response = public.get(f"/verify/{number}")

    assert response.status_code == 404
    assert "未找到该证书" in response.get_data(as_text=True)


def test_form_looks_up_typed_number(public, certificate):
    number = certificate.certificate_number

    response = public.get(f"/verify?number=+{number}+")

    assert response.status_code == 200
    assert "欧阳春花" in response.get_data(as_text=True)


def test_empty_form_asks_for_number(public, app_context):
    response = public.get("/verify?number=")

    assert response.status_code == 200
    assert "请输入证书编号。" in response.get_data(as_text=True)


def test_page_is_rate_limited(public, certificate, app, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFICATION_RATE_LIMIT", "3 per minute")
    url = f"/verify/{certificate.certificate_number}"

    statuses = [public.get(url).status_code for _ in range(4)]
    form = public.get("/verify")

    assert statuses == [200, 200, 200, 429]
    assert form.status_code == 429
    assert "请求过于频繁" in form.get_data(as_text=True)
