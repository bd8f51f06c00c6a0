"""Bulk-loading served entities from CSV."""

import io

from sqlalchemy import func, select

from tests.helpers import cooperative_code
from workflow.entity_import import import_entities
from workflow.extensions import db
from workflow.models import ServedEntity

HEADER = "主体类型,主体名称,统一社会信用代码,所在区县代码\n"


def _load(text):
    return import_entities(io.StringIO(HEADER + text))


def _count():
    return db.session.scalar(select(func.count()).select_from(ServedEntity))


def test_import_loads_valid_rows_once(app_context):
    rows = (
        f"农民合作社,远安县花林寺茶叶专业合作社,{cooperative_code(11)},420525\n"
        "家庭农场,何家湾家庭农场,,420525\n"
    )

    first = _load(rows)
    second = _load(
        f"农民合作社,远安县花林寺茶叶专业合作社,{cooperative_code(11)},420525\n"
    )

    assert first.errors == []
    assert first.added == 2
    assert second.skipped == 1
    assert _count() == 2


def test_import_with_one_bad_row_loads_nothing(app_context):
    bad_code = cooperative_code(12)[:-1] + (
        "0" if cooperative_code(12)[-1] != "0" else "1"
    )
    rows = (
        f"农民合作社,远安县合作社甲,{cooperative_code(13)},420525\n"
        f"农民合作社,远安县合作社乙,{bad_code},420525\n"
        "养殖场,某养殖场,,420525\n"
    )

    result = _load(rows)

    assert result.errors[0].startswith("第3行：")
    assert "校验位" in result.errors[0]
    assert result.errors[1].startswith("第4行：")
    assert _count() == 0


def test_import_reports_missing_columns(app_context):
    result = import_entities(io.StringIO("名称\n某合作社\n"))

    assert "缺少列" in result.errors[0]
