"""Demo data for life after appointment: entities, records, a counselor account.

Runs after the sample counselors exist. It adds a few served entities in
the county, service and training records for its appointed counselors, and
a self-service account for the first of them, all through the same
services as real work.
"""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from workflow import clock
from workflow.credit_code import check_character
from workflow.entities import EntityValues, create_entity
from workflow.extensions import db
from workflow.models.activity import ServiceRecord
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.models.entity import EntityKind
from workflow.models.user import User
from workflow.self_service import open_account
from workflow.service_records import ServiceValues, create_service_record
from workflow.states.counselor import CounselorState
from workflow.trainings import TrainingValues, create_training_record

SAMPLE_ENTITIES = (
    (EntityKind.COOPERATIVE, "鸣凤茶叶专业合作社"),
    (EntityKind.COOPERATIVE, "旧县柑橘种植专业合作社"),
    (EntityKind.UNION, "香菇产业农民专业合作社联合社"),
    (EntityKind.FAMILY_FARM, "何家湾家庭农场"),
    (EntityKind.FAMILY_FARM, "李家坪生态家庭农场"),
)

# (days ago, entity index, service type, content, result, satisfaction)
SAMPLE_SERVICES = (
    (200, 0, "规范运营", "指导修订合作社章程并召开成员大会", "章程修订通过", 5),
    (150, 1, "财务会计", "辅导建立成员账户和盈余分配台账", "完成成员账户设置", 4),
    (90, 3, "市场营销", "对接县电商服务站开设网店", "网店上线，月销量约200单", 5),
    (40, 2, "技术支持", "组织香菇标准化生产技术培训", "12户成员参加", 4),
    (12, 4, "绿色发展", "指导畜禽粪污资源化利用", "建成堆肥池一座", 3),
)


def seed_activity(department_code, password=None):
    """Add demo entities, records and a counselor account once; return the account.

    Returns ``(username, password)`` of the counselor account, or None if
    the county has no appointed counselor or the account already exists.
    """
    department = db.session.scalar(
        select(Department).where(Department.code == department_code)
    )
    admin = db.session.scalar(
        select(User).where(User.username == f"{department_code}-admin")
    )
    counselors = db.session.scalars(
        select(Counselor)
        .where(
            Counselor.department_id == department.id,
            Counselor.state == CounselorState.APPOINTED,
        )
        .order_by(Counselor.id)
    ).all()
    if not counselors or counselors[0].account_user_id is not None:
        return None
    entities = [_entity(admin, department, n, kind, name) for n, (kind, name) in
                enumerate(SAMPLE_ENTITIES, start=1)]  # fmt: skip
    for counselor in counselors:
        _seed_records(admin, counselor, entities)
    user, chosen = open_account(admin, counselors[0].id, f"{department_code}-counselor")
    if password:
        user.set_password(password)
        db.session.commit()
    return user.username, password or chosen


def _entity(admin, department, serial, kind, name):
    code = None
    if kind.needs_credit_code:
        first17 = f"93{department.code}MA4C{serial:04d}{secrets.randbelow(10)}"
        code = first17 + check_character(first17)
    values = EntityValues(
        kind, f"{department.division_name}{name}", code, department.code
    )
    return create_entity(admin, values)


def _seed_records(admin, counselor, entities):
    exists = db.session.scalar(
        select(func.count()).where(ServiceRecord.counselor_id == counselor.id)
    )
    if exists:
        return
    today = clock.now().date()
    try:
        for days_ago, index, area, content, result, satisfaction in SAMPLE_SERVICES:
            served_on = today - timedelta(days=days_ago)
            if served_on < counselor.term_starts_on:
                continue
            clock.freeze(
                datetime.combine(served_on + timedelta(days=3), datetime.min.time())
            )
            create_service_record(
                admin,
                counselor.id,
                ServiceValues(
                    entities[index].id, served_on, area, content, result, satisfaction
                ),
            )
        create_training_record(
            admin,
            counselor.id,
            TrainingValues("新型农业经营主体辅导员能力提升培训", "省级", "辅导实务",
                           Decimal("16"), today - timedelta(days=60)),
        )  # fmt: skip
    finally:
        clock.unfreeze()
