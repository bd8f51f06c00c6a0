"""Demo accounts and sample records for one real province.

Everything is created through the same services and engine as real work,
with the clock set back so the records carry believable dates. The ID
numbers are synthetic: valid in form, generated from the county code.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from workflow import clock, engine, nominations
from workflow.demo_activity import seed_activity
from workflow.demo_centers import seed_centers
from workflow.demo_reports import seed_reports
from workflow.divisions import add_township, load_department_tree
from workflow.extensions import db
from workflow.id_number import check_character
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.models.user import User
from workflow.roles import Role

PROVINCE = "42"
# The Ministry, 湖北省, 宜昌市 and two counties of 宜昌市.
DEPARTMENT_CODES = ("000000", "420000", "420500", "420525", "420526")
COUNTY_CODES = ("420525", "420526")
# Townships of 远安县, so the province's township rule has something to show.
TOWNSHIPS = (
    ("420525100", "鸣凤镇"),
    ("420525101", "花林寺镇"),
    ("420525102", "旧县镇"),
    ("420525103", "洋坪镇"),
    ("420525104", "茅坪场镇"),
    ("420525105", "嫘祖镇"),
    ("420525200", "河口乡"),
)
# Extra service areas of one sample counselor (county code, serial): the
# full-time one appointed 380 days ago covers two of the townships.
TOWNSHIP_SERVICE_AREAS = {("420525", 9): ("420525100", "420525101")}
# Demo accounts get addresses under example.com (RFC 2606): the development
# mail sink prints them and no real mailbox can receive them.
DEMO_MAIL_DOMAIN = "fudao.example.com"
ACCOUNT_ROLES = {
    "admin": (Role.REGISTRY_ADMIN,),
    "reviewer": (Role.REVIEWER,),
    "leader": (Role.LEADER,),
}
ROLE_TITLES = {"admin": "名录库管理员", "reviewer": "审核员", "leader": "负责人"}

SAMPLE_PEOPLE = (
    ("张桂兰", "女", "中共党员", "大学本科", "新型农业经营主体带头人", "组织建设"),
    ("李建国", "男", "群众", "大学专科", "农技员", "技术支持"),
    ("王秀英", "女", "群众", "中专/高中", "种养能手", "绿色发展"),
    ("刘志强", "男", "中共党员", "研究生", "专家学者", "财务会计"),
    ("陈海燕", "女", "共青团员", "大学本科", "社团组织工作人员或志愿者", "市场营销"),
    ("杨德福", "男", "群众", "初中及以下", "农业乡土专家", "规范运营"),
    ("赵春梅", "女", "中共党员", "大学本科", "公职人员", "质量标准"),
    (
        "黄文斌",
        "男",
        "民主党派成员",
        "研究生",
        "社企对接服务方经营管理人员",
        "信贷保险",
    ),
    ("周玉珍", "女", "群众", "大学专科", "种养能手", "绿色发展"),
)

# How far each sample record gets, and how many days ago it was nominated.
SAMPLE_PATHS = (
    ((), 12),
    ((), 4),
    ((), 1),
    (("start_review",), 9),
    (("start_review", "return_for_revision"), 15),
    (("start_review", "approve"), 3),
    (("start_review", "approve"), 30),
    (("start_review", "approve", "appoint"), 400),
    (("start_review", "approve", "appoint"), 380),
)


@dataclass(frozen=True)
class DemoAccount:
    """A demo account and the password it was given."""

    username: str
    department: str
    roles: str
    password: str


def seed_demo(password=None):
    """Create or reset the demo accounts; add sample records once; commit."""
    if db.session.scalar(select(Department).where(Department.code == "420000")) is None:
        load_department_tree(only_province=PROVINCE)
        db.session.commit()
    for code, name in TOWNSHIPS:
        add_township(code, name)
    db.session.commit()
    accounts = [
        _reset_account(code, kind, password)
        for code in DEPARTMENT_CODES
        for kind in ACCOUNT_ROLES
    ]
    db.session.commit()
    for code in COUNTY_CODES:
        _seed_records(code)
        counselor_account = seed_activity(code, password)
        if counselor_account is not None:
            username, chosen = counselor_account
            accounts.append(
                DemoAccount(username, _department_name(code), "辅导员", chosen)
            )
    seed_reports()
    for applicant, chosen in seed_centers(password):
        accounts.append(
            DemoAccount(
                applicant.username,
                applicant.organisation.name,
                str(Role.CENTER_APPLICANT.label),
                chosen,
            )
        )
    return accounts


def _department_name(code):
    return db.session.scalar(select(Department.name).where(Department.code == code))


def _reset_account(code, kind, password):
    department = db.session.scalar(select(Department).where(Department.code == code))
    username = f"{code}-{kind}"
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username, department=department)
        db.session.add(user)
    user.display_name = f"{department.division_name}{ROLE_TITLES[kind]}"
    user.email = f"{username}@{DEMO_MAIL_DOMAIN}"
    user.set_roles(ACCOUNT_ROLES[kind])
    user.is_enabled = True
    chosen = password or secrets.token_urlsafe(9)
    user.set_password(chosen)
    roles = "、".join(str(role.label) for role in ACCOUNT_ROLES[kind])
    return DemoAccount(username, department.name, roles, chosen)


def _seed_records(code):
    department = db.session.scalar(select(Department).where(Department.code == code))
    existing = db.session.scalar(
        select(func.count()).where(Counselor.department_id == department.id)
    )
    if existing:
        return
    staff = {
        kind: db.session.scalar(select(User).where(User.username == f"{code}-{kind}"))
        for kind in ACCOUNT_ROLES
    }
    today = clock.now().date()
    for serial, (person, (steps, days_ago)) in enumerate(
        zip(SAMPLE_PEOPLE, SAMPLE_PATHS, strict=True), start=1
    ):
        _seed_one(
            department, staff, person, serial, steps, today - timedelta(days=days_ago)
        )


def _seed_one(department, staff, person, serial, steps, nominated_on):
    name, gender, political, education, source, area = person
    birth = date(1965 + serial * 3, serial, 10 + serial)
    values = {
        "name": name,
        "gender": gender,
        "id_number": synthetic_id_number(department.code, birth, serial, gender),
        "ethnicity": "汉族" if serial % 4 else "土家族",
        "political_status": political,
        "education": education,
        "professional_title": "农艺师" if serial % 2 else None,
        "employer": (
            f"{department.division_name}示范合作社" if serial % 3 else department.name
        ),
        "position": "理事长" if serial % 3 else "农技员",
        "mobile": f"139{department.code[2:]}{serial:04d}"[:11],
        "email": None,
        "source": source,
        "work_areas": [area],
        "industries": ["果茶" if serial % 2 else "粮食作物"],
        "working_mode": "专职" if serial % 2 else "兼职",
        "entry_mode": "聘任",
        "service_area_codes": [
            department.code,
            *TOWNSHIP_SERVICE_AREAS.get((department.code, serial), ()),
        ],
        "served_cooperatives": serial % 5,
        "served_family_farms": serial % 7,
        "served_others": 0,
    }
    moment = datetime.combine(nominated_on, datetime.min.time()).replace(hour=9)
    clock_now = clock.now()
    try:
        clock.freeze(moment)
        record = nominations.create_nomination(staff["admin"], values, submit=True)
        # Steps a week apart, but squeezed for recent nominations so that
        # no history lies in the future.
        gap = min(timedelta(days=8), (clock_now - moment) / (len(steps) + 1))
        for trigger in steps:
            moment = _step_time(record, trigger, moment + gap)
            clock.freeze(moment)
            actor = staff["leader"] if trigger == "appoint" else staff["reviewer"]
            comment = (
                "材料不全，请补充服务主体情况。"
                if trigger == "return_for_revision"
                else None
            )
            record = engine.fire(Counselor, record.id, trigger, actor, comment=comment)
    finally:
        clock.unfreeze()


def _step_time(record, trigger, planned):
    # Appointment waits for the day after the notice ends, which holidays
    # can push well past a week.
    if trigger == "appoint":
        day_after = record.notice_ends_on + timedelta(days=1)
        return max(
            planned, datetime.combine(day_after, datetime.min.time()).replace(hour=10)
        )
    return planned


def synthetic_id_number(division_code, birth, serial, gender):
    """Return a well-formed ID number for demo and test data."""
    sequence = serial * 2 + (1 if gender == "男" else 0)
    first17 = f"{division_code}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_character(first17)
