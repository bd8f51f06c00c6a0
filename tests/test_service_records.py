"""Service and training records: who may write them, and bad input."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.helpers import appoint, cooperative_code, person_values
from workflow import clock
from workflow.entities import EntityValues, create_entity
from workflow.errors import DomainValidationError, NotPermitted
from workflow.evaluation_figures import entities_served, year_figures
from workflow.extensions import db
from workflow.models import EntityKind, Role, ServiceRecord
from workflow.self_service import open_account
from workflow.service_records import (
    ServiceValues,
    create_service_record,
    update_service_record,
)
from workflow.trainings import TrainingValues, create_training_record


@pytest.fixture
def staff(make_user):
    return {
        "admin": make_user("420525", Role.REGISTRY_ADMIN),
        "reviewer": make_user("420525", Role.REVIEWER),
    }


@pytest.fixture
def counselor(staff, frozen_clock):
    record = appoint(
        staff["admin"], staff["reviewer"], date(2025, 3, 3), person_values(1)
    )
    clock.freeze(datetime(2025, 6, 2, 9, 0))
    return record


@pytest.fixture
def cooperative(staff):
    values = EntityValues(
        EntityKind.COOPERATIVE,
        "远安县鸣凤茶叶专业合作社",
        cooperative_code(1),
        "420525",
    )
    return create_entity(staff["admin"], values)


@pytest.fixture
def self_service(staff, counselor):
    user, _password = open_account(staff["admin"], counselor.id, "self-1")
    return user


def _values(entity, **overrides):
    fields = {
        "entity_id": entity.id,
        "served_on": date(2025, 5, 20),
        "work_area": "财务会计",
        "content": "指导建立成员账户",
        "result": "完成成员账户设置",
        "satisfaction": 5,
    }
    fields.update(overrides)
    return ServiceValues(**fields)


def test_counselor_enters_own_service_record(self_service, counselor, cooperative):
    record = create_service_record(self_service, counselor.id, _values(cooperative))

    assert record.author_id == self_service.id
    assert record.department_id == counselor.department_id


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"served_on": date(2025, 6, 3)}, "served_on", "不能晚于今天"),
        ({"served_on": date(2025, 3, 1)}, "served_on", "聘期内"),
        ({"satisfaction": 0}, "satisfaction", "1至5分"),
        ({"satisfaction": 6}, "satisfaction", "1至5分"),
        ({"work_area": "算命"}, "work_area", "服务类型"),
        ({"content": ""}, "content", "请填写"),
        ({"entity_id": 999999}, "entity", "未找到该服务主体"),
    ],
)
def test_bad_service_record_refused(
    staff, counselor, cooperative, overrides, field, message
):
    with pytest.raises(DomainValidationError) as refusal:
        create_service_record(
            staff["admin"], counselor.id, _values(cooperative, **overrides)
        )

    assert refusal.value.field == field
    assert message in str(refusal.value.user_message)
    assert db.session.query(ServiceRecord).count() == 0


def test_reviewer_may_not_enter_service_record(staff, counselor, cooperative):
    with pytest.raises(NotPermitted):
        create_service_record(staff["reviewer"], counselor.id, _values(cooperative))


def test_only_author_edits_service_record(staff, self_service, counselor, cooperative):
    record = create_service_record(self_service, counselor.id, _values(cooperative))

    with pytest.raises(NotPermitted):
        update_service_record(staff["admin"], record.id, _values(cooperative))


def test_author_edits_service_record(self_service, counselor, cooperative):
    record = create_service_record(self_service, counselor.id, _values(cooperative))

    updated = update_service_record(
        self_service, record.id, _values(cooperative, satisfaction=3)
    )

    assert updated.satisfaction == 3


def test_self_service_cannot_reach_other_counselor(
    staff, self_service, counselor, cooperative
):
    from workflow.errors import RecordNotFound

    other = appoint(
        staff["admin"], staff["reviewer"], date(2025, 3, 3), person_values(2)
    )
    clock.freeze(datetime(2025, 6, 2, 9, 0))

    with pytest.raises(RecordNotFound):
        create_service_record(self_service, other.id, _values(cooperative))


def test_entities_served_counts_distinct_entities(staff, counselor, cooperative):
    farm = create_entity(
        staff["admin"],
        EntityValues(EntityKind.FAMILY_FARM, "王家庄家庭农场", None, "420525"),
    )
    for entity, day in ((cooperative, 5), (cooperative, 12), (farm, 20)):
        create_service_record(
            staff["admin"],
            counselor.id,
            _values(entity, served_on=date(2025, 5, day)),
        )

    counts = entities_served([counselor.id], 2025)[counselor.id]

    assert counts == {EntityKind.COOPERATIVE: 1, EntityKind.FAMILY_FARM: 1}


def test_year_figures_sum_records_and_training(staff, counselor, cooperative):
    create_service_record(
        staff["admin"], counselor.id, _values(cooperative, served_on=date(2025, 3, 20))
    )
    create_service_record(staff["admin"], counselor.id, _values(cooperative))
    create_training_record(
        staff["admin"],
        counselor.id,
        TrainingValues(
            "合作社规范化建设", "省级", "经营管理", Decimal("12.5"), date(2025, 4, 2)
        ),
    )

    figures = year_figures(counselor.id, 2025, timely_days=30)

    assert figures.entities_served == 1
    assert figures.service_records == 2
    assert figures.average_satisfaction == 5
    assert figures.training_hours == 12.5
    assert figures.timely_share == 50.0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours": Decimal("0")}, "hours"),
        ({"level": "世界级"}, "level"),
        ({"trained_on": date(2026, 1, 1)}, "trained_on"),
        ({"course": "课"}, "course"),
    ],
)
def test_bad_training_record_refused(staff, counselor, overrides, field):
    fields = {
        "course": "家庭农场财务管理",
        "level": "县级",
        "category": "经营管理",
        "hours": Decimal("4"),
        "trained_on": date(2025, 5, 6),
    }
    fields.update(overrides)

    with pytest.raises(DomainValidationError) as refusal:
        create_training_record(staff["admin"], counselor.id, TrainingValues(**fields))

    assert refusal.value.field == field


@pytest.mark.parametrize(
    ("kind", "code", "field"),
    [
        (EntityKind.COOPERATIVE, None, "credit_code"),
        (EntityKind.COOPERATIVE, "914403001922038216", "credit_code"),
        (EntityKind.UNION, "93420525MA4C000010", "credit_code"),
        (EntityKind.FAMILY_FARM, "91440300708461137T", "credit_code"),
    ],
)
def test_bad_entity_refused(staff, kind, code, field):
    values = EntityValues(kind, "某某专业合作社", code, "420525")

    with pytest.raises(DomainValidationError) as refusal:
        create_entity(staff["admin"], values)

    assert refusal.value.field == field


def test_entity_credit_code_registered_once(staff, cooperative):
    values = EntityValues(
        EntityKind.COOPERATIVE, "另一个合作社", cooperative.credit_code, "420525"
    )

    with pytest.raises(DomainValidationError) as refusal:
        create_entity(staff["admin"], values)

    assert "已登记为" in str(refusal.value.user_message)
