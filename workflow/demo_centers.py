"""Demo applicant organisations and service centers in 远安县.

Created through the same services and engine as real work, with the clock
set back. The organisations, credit codes and files are synthetic.
"""

import io
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select

from workflow import clock, engine, service_centers, supervision
from workflow.center_prices import PriceRow
from workflow.credit_code import check_character
from workflow.extensions import db
from workflow.models.applicant import ApplicantOrganisation
from workflow.models.department import Department
from workflow.models.service_center import ServiceCenter
from workflow.models.user import User
from workflow.roles import Role

COUNTY = "420525"
# A one-page PDF that passes the upload checks.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (account suffix, organisation, center name, steps, days ago)
DEMO_CENTERS = (
    (
        "center",
        "远安县金穗农民合作社联合社",
        "远安县新型农业经营主体服务中心",
        ("submit", "start_review", "file", "fail_evaluation"),
        200,
    ),
    (
        "center2",
        "远安县农业社会化服务有限公司",
        "远安县鸣凤为农服务中心",
        ("submit", "start_review", "file"),
        120,
    ),
    ("center3", "远安县茶产业联合会", "远安县茶产业服务中心", ("submit",), 9),
)


class _Upload:
    def __init__(self, filename, content):
        self.filename = filename
        self.stream = io.BytesIO(content)


def seed_centers(password=None):
    """Create or reset the demo applicants, add their centers once; commit.

    Returns ``(user, password)`` pairs; without ``password`` each account
    gets a random one.
    """
    reviewer = db.session.scalar(
        select(User).where(User.username == f"{COUNTY}-reviewer")
    )
    accounts = []
    for serial, (suffix, organisation, name, steps, days) in enumerate(
        DEMO_CENTERS, start=1
    ):
        chosen = password or secrets.token_urlsafe(9)
        applicant = _applicant(suffix, organisation, serial, chosen)
        accounts.append((applicant, chosen))
        if not service_centers.centers_of(applicant.organisation_id):
            _seed_center(applicant, reviewer, name, steps, days)
    return accounts


def _applicant(suffix, name, serial, password):
    username = f"{COUNTY}-{suffix}"
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        first17 = f"93{COUNTY}MA4C{serial:05d}"
        organisation = ApplicantOrganisation(
            name=name,
            credit_code=first17 + check_character(first17),
            contact_person="刘红梅",
            contact_phone=f"1380000{serial:04d}",
            email=f"{suffix}@example.com",
            email_confirmed_at=clock.now(),
        )
        department = db.session.scalar(
            select(Department).where(Department.code == COUNTY)
        )
        user = User(username=username, organisation=organisation, department=department)
        db.session.add(user)
    user.display_name = "刘红梅"
    user.set_roles([Role.CENTER_APPLICANT])
    user.set_password(password)
    db.session.commit()
    return user


def _seed_center(applicant, reviewer, name, steps, days_ago):
    today = clock.now().date()
    moment = datetime.combine(today - timedelta(days=days_ago), datetime.min.time())
    moment = moment.replace(hour=9)
    try:
        clock.freeze(moment)
        center = service_centers.create_application(applicant, _values(name))
        for kind in ("registration_certificate", "premises_proof"):
            service_centers.add_attachment(
                applicant, center.id, kind, _Upload(f"{kind}.pdf", DEMO_PDF)
            )
        for trigger in steps:
            # The evaluation is recent, so its rectification period is open.
            moment = (
                datetime.combine(today - timedelta(days=5), moment.time())
                if trigger == "fail_evaluation"
                else moment + timedelta(days=6)
            )
            clock.freeze(moment)
            center = _step(center, trigger, applicant, reviewer, moment)
    finally:
        clock.unfreeze()


def _step(center, trigger, applicant, reviewer, moment):
    if trigger == "fail_evaluation":
        evaluation = supervision.score_evaluation(
            moment.year - 1,
            {"service_quality": 50, "management": 55, "satisfaction": 60},
        )
        return supervision.evaluate_center(
            reviewer, center.id, evaluation, "服务记录不完整，价格未在服务场所公示。",
            moment.date() + timedelta(days=30), center.version,
        )  # fmt: skip
    actor = applicant if trigger == "submit" else reviewer
    return engine.fire(ServiceCenter, center.id, trigger, actor)


def _values(name):
    return {
        "name": name,
        "organisation_type": "农民合作社联合社",
        "establishment": "现有主体挂牌承接",
        "co_building_mode": "购买服务",
        "county_code": COUNTY,
        "address": "远安县鸣凤镇建设路8号",
        "service_phone": "0717-3812345",
        "registered_on": date(2018, 4, 1),
        "declares_no_violation": True,
        "work_guide": "受理、派单、服务、回访四步办理，三个工作日内响应。",
        "code_of_conduct": "不强制服务，不干预主体经营决策，不泄露主体信息。",
        "price_disclosure": "价格在服务大厅和公示网站同步公开，调整提前15天告知。",
        "record_keeping": "每次服务登记服务记录，由服务对象签字确认，保存5年。",
        "services": [
            ("财务会计", "代理记账、财务制度建设指导"),
            ("市场营销", "品牌策划、电商渠道对接"),
            ("技术支持", "测土配方施肥和病虫害统防统治"),
        ],
        "staff": [("周建华", "主任", None), ("吴丽", "会计", None)],
        "prices": [
            PriceRow("代理记账", "户·年", 1200),
            PriceRow("品牌策划", "次", 3000),
            PriceRow("统防统治", "亩·次", 12),
        ],
    }
