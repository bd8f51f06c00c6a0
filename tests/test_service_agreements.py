"""Service agreements with their scans, and service records traced to them."""

import io
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from tests.center_pages import flashes
from tests.helpers import (
    EXE_BYTES,
    PDF_BYTES,
    application_values,
    credit_code,
    csrf_token_from,
)
from workflow import engine, service_agreements, service_centers
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.models import (
    Attachment,
    CenterServiceRecord,
    Role,
    ServiceAgreement,
    ServiceCenter,
)
from workflow.states.service_center import CenterState

AGREEMENT = {
    "entity_name": "远安县金穗粮食种植专业合作社",
    "entity_type": "农民合作社",
    "entity_credit_code": credit_code(90),
    "service_items": "代理记账、年度财务报告",
    "service_manner": "每月上门一次",
    "quality_standard": "账实相符，按期报税",
    "acceptance_terms": "年末由理事会验收",
    "breach_liability": "延误报税产生的罚款由中心承担",
    "period_starts_on": date(2026, 1, 1),
    "period_ends_on": date(2026, 12, 31),
    "fee": 1200,
    "signed_on": date(2025, 12, 20),
}


class Upload:
    def __init__(self, filename, content):
        self.filename = filename
        self.stream = io.BytesIO(content)


@pytest.fixture
def filed_center(make_user, make_applicant, frozen_clock):
    """A filed center of a new applicant, and that applicant."""
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = service_centers.create_application(applicant, application_values())
    center.state = CenterState.UNDER_REVIEW
    db.session.commit()
    # Files are not what these tests are about: record them as present.
    for kind in ("registration_certificate", "premises_proof"):
        db.session.add(
            Attachment(
                center_id=center.id, kind=kind, original_name=f"{kind}.pdf",
                stored_name=f"{kind}.pdf", content_type="application/pdf",
                size=1, sha256="0" * 64, uploaded_at=datetime(2026, 1, 1),
                uploaded_by_id=applicant.id,
            )
        )  # fmt: skip
    db.session.commit()
    center = engine.fire(ServiceCenter, center.id, "file", reviewer)
    return center, applicant


def _agreement(center, applicant, **overrides):
    return service_agreements.create_agreement(
        applicant,
        center.id,
        {**AGREEMENT, **overrides},
        Upload("协议.pdf", PDF_BYTES),
    )


def _record_values(**overrides):
    values = {
        "served_on": date(2026, 2, 10),
        "work_area": "财务会计",
        "performed_by": "吴丽",
        "content": "整理1月凭证并记账",
        "result": "完成1月账务",
        "satisfaction": 5,
    }
    values.update(overrides)
    return values


def test_service_record_traces_to_agreement(filed_center):
    center, applicant = filed_center
    agreement = _agreement(center, applicant)

    record = service_agreements.add_service_record(
        applicant, center.id, agreement.id, _record_values()
    )

    assert record.agreement.entity_name == "远安县金穗粮食种植专业合作社"
    assert record.performed_by == "吴丽"
    assert agreement.scan.kind == "agreement_scan"
    assert agreement.scan.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"entity_credit_code": None}, "entity_credit_code"),
        ({"entity_credit_code": "93420525MA4B000900"}, "entity_credit_code"),
        ({"period_ends_on": date(2025, 12, 31)}, "period_ends_on"),
        ({"signed_on": date(2026, 3, 3)}, "signed_on"),
        ({"fee": -1}, "fee"),
    ],
)
def test_bad_agreement_refused(filed_center, overrides, field):
    center, applicant = filed_center

    with pytest.raises(DomainValidationError) as caught:
        _agreement(center, applicant, **overrides)

    assert caught.value.field == field
    assert db.session.scalar(select(func.count(ServiceAgreement.id))) == 0
    assert (
        db.session.scalar(
            select(func.count(Attachment.id)).where(Attachment.kind == "agreement_scan")
        )
        == 0
    )


def test_family_farm_needs_no_credit_code(filed_center):
    center, applicant = filed_center

    agreement = _agreement(
        center, applicant, entity_type="家庭农场", entity_credit_code=None
    )

    assert agreement.entity_credit_code is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"served_on": date(2025, 12, 1)}, "served_on"),
        ({"served_on": date(2026, 3, 5)}, "served_on"),
        ({"performed_by": "外来人员"}, "performed_by"),
        ({"satisfaction": 6}, "satisfaction"),
    ],
)
def test_bad_service_record_refused(filed_center, overrides, field):
    center, applicant = filed_center
    agreement = _agreement(center, applicant)

    with pytest.raises(DomainValidationError) as caught:
        service_agreements.add_service_record(
            applicant, center.id, agreement.id, _record_values(**overrides)
        )

    assert caught.value.field == field
    assert db.session.scalar(select(func.count(CenterServiceRecord.id))) == 0


def test_disguised_scan_refused_on_page(filed_center, sign_in):
    center, applicant = filed_center
    client = sign_in(applicant)
    page = client.get(f"/centers/{center.id}/agreements/new").get_data(as_text=True)
    fields = {
        key: value.isoformat() if isinstance(value, date) else str(value)
        for key, value in AGREEMENT.items()
    }

    response = client.post(
        f"/centers/{center.id}/agreements/new",
        data={
            **fields,
            "scan": (io.BytesIO(EXE_BYTES), "协议.pdf"),
            "csrf_token": csrf_token_from(page),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    assert "文件内容与扩展名不符" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ServiceAgreement.id))) == 0


def test_record_form_on_page(filed_center, sign_in):
    center, applicant = filed_center
    agreement = _agreement(center, applicant)
    client = sign_in(applicant)
    url = f"/centers/{center.id}/agreements/{agreement.id}"
    page = client.get(url).get_data(as_text=True)

    response = client.post(
        f"{url}/records",
        data={
            "served_on": "2026-02-10",
            "work_area": "财务会计",
            "performed_by": "吴丽",
            "content": "整理1月凭证并记账",
            "result": "完成1月账务",
            "satisfaction": "4",
            "csrf_token": csrf_token_from(page),
        },
    )

    assert response.status_code == 303
    assert "服务记录已登记" in " ".join(flashes(client.get(url)))
    assert db.session.scalar(select(CenterServiceRecord.satisfaction)) == 4


def test_reviewer_reads_agreements_but_cannot_add(filed_center, make_user, sign_in):
    center, applicant = filed_center
    agreement = _agreement(center, applicant)
    reviewer = sign_in(make_user("420525", Role.REVIEWER))

    listing = reviewer.get(f"/centers/{center.id}/agreements")
    form = reviewer.get(f"/centers/{center.id}/agreements/new")

    assert agreement.entity_name in listing.get_data(as_text=True)
    assert form.status_code == 404
