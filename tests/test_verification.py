"""The public certificate verification page."""

from datetime import datetime

import pytest

from workflow.extensions import db, limiter
from workflow.states.counselor import CounselorState


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


def test_valid_certificate(public, certificate):
    response = public.get(f"/verify/{certificate.certificate_number}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="verdict verdict-valid">有效<' in page
    assert "欧阳春花" in page
    assert "组织建设" in page


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
    assert 'class="verdict verdict-expired">已过期<' in page


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
