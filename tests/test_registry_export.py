"""Export to the template: jurisdiction, filters, formula safety, round trip."""

import io

from openpyxl import load_workbook

from tests.helpers import fixture_bytes, nomination_values
from workflow import nominations
from workflow.models import Role
from workflow.queue import Filters
from workflow.registry_columns import COLUMNS, TEMPLATE_VERSION
from workflow.registry_export import export_registry
from workflow.registry_import import batches
from workflow.registry_template import write_template
from workflow.states.counselor import CounselorState


def _export(user, filters=None):
    stream = io.BytesIO()
    export_registry(user, filters or Filters(), stream)
    return stream.getvalue()


def _data_rows(content):
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [row for row in sheet.iter_rows(min_row=2) if row[0].value is not None]


def _import_good(admin):
    batch = batches.upload(admin, "good.xlsx", fixture_bytes("good.xlsx"))
    batches.commit_batch(admin, batch.id)


def test_export_reimports_unchanged(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _import_good(admin)

    content = _export(admin)
    again = batches.upload(admin, "export.xlsx", content)

    report = batches.report(again)
    assert report["problems"] == []
    assert report["counts"]["unchanged"] == 8
    assert again.template_version == TEMPLATE_VERSION


def test_export_neutralises_formulas_and_round_trips(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    nominations.create_nomination(
        admin,
        nomination_values(
            employer='=HYPERLINK("http://x")', position="+1", professional_title="@a"
        ),
        submit=True,
    )

    content = _export(admin)
    (row,) = _data_rows(content)
    again = batches.upload(admin, "export.xlsx", content)

    cells = {column.key: cell for column, cell in zip(COLUMNS, row, strict=False)}
    assert cells["employer"].value == '\'=HYPERLINK("http://x")'
    assert cells["employer"].data_type == "s"
    assert cells["position"].value == "'+1"
    assert cells["professional_title"].value == "'@a"
    assert batches.report(again)["counts"]["unchanged"] == 1


def test_export_keeps_to_jurisdiction(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _import_good(admin)
    neighbour = make_user("420526", Role.REGISTRY_ADMIN)
    prefecture = make_user("420500", Role.SUPERVISOR)

    assert _data_rows(_export(neighbour)) == []
    assert len(_data_rows(_export(prefecture))) == 8


def test_export_applies_filters(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _import_good(admin)

    rows = _data_rows(_export(admin, Filters(state=CounselorState.NOMINATED)))

    assert sorted(row[0].value for row in rows) == ["赵春梅", "黄文斌"]


def test_export_writes_ids_as_text_and_dates_as_dates(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _import_good(admin)

    rows = _data_rows(_export(admin))

    (row,) = [row for row in rows if row[0].value == "张 桂兰"]
    cells = {column.key: cell for column, cell in zip(COLUMNS, row, strict=False)}
    assert cells["id_number"].data_type == "s"
    assert cells["id_number"].number_format == "@"
    assert cells["appointed_on"].is_date


def test_template_has_lists_text_columns_and_version(app_context):
    stream = io.BytesIO()

    write_template(stream)

    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    data, instructions, lists = workbook.worksheets
    headers = [cell.value for cell in data[1]]
    assert headers == [str(column.header) for column in COLUMNS]
    id_letter = "C"
    assert data.column_dimensions[id_letter].number_format == "@"
    ranges = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in data.data_validations.dataValidation
    }
    assert ranges["B2"] == "'lists'!$A$1:$A$2"
    assert instructions["A2"].value == "模板版本"
    assert instructions["B2"].value == TEMPLATE_VERSION
    assert lists.sheet_state == "hidden"


def test_other_template_version_gets_notice(make_user, frozen_clock):
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    _import_good(admin)
    workbook = load_workbook(io.BytesIO(_export(admin)))
    workbook["填写说明"]["B2"] = "2025.1"
    edited = io.BytesIO()
    workbook.save(edited)

    batch = batches.upload(admin, "old.xlsx", edited.getvalue())

    (notice,) = batches.report(batch)["notices"]
    assert "版本 2025.1" in notice
    assert TEMPLATE_VERSION in notice
    assert batch.template_version == "2025.1"
