"""API endpoint of the bulk upsert of registry records.

The rows go through the spreadsheet import unchanged. They are written as
a UTF-8 CSV file in the template's columns and handed to
``registry_import.batches.upload``. That checks them with the same rules
as an upload, stores the file and its report as an import batch, and
writes every row or none. A field that no row sends is left out of the
file, so it is not compared or changed on records already held; a field
that some rows send and others leave out is empty in the others.
"""

import csv
import io

from flask_babel import lazy_gettext as _l

from web.api.blueprint import blueprint, current_actor, spec
from web.api.errors import ApiError
from web.api.responses import BODY_ERRORS, responses
from web.api.schemas import BatchInfo, BulkBody
from workflow import clock
from workflow.models.import_batch import ImportBatchStatus
from workflow.registry_columns import COLUMNS
from workflow.registry_import import batches
from workflow.registry_import.files import FileRejected
from workflow.registry_template import neutralize_formula

TAGS = ("registry",)
# The CSV's header is its first row, so data row ``i`` (0-based) is row i + 2.
FIRST_DATA_ROW = 2


@blueprint.post("/registry/records")
@spec.validate(
    resp=responses("HTTP_403", "HTTP_409", *BODY_ERRORS, HTTP_201=BatchInfo),
    tags=TAGS,
)
def upsert_records(json: BulkBody):
    """Create or update registry records in one all-or-nothing import batch.

    New people are nominated, or entered as appointed when the row carries
    the appointment's dates and certificate number; people already in the department's
    registry are updated. Any problem in any row writes nothing: the
    answer is 422 with every problem, its row index and its field, and the
    batch is kept with status ``invalid`` as an upload with problems is.
    """
    actor = current_actor()
    keys = _sent_keys(json.rows)
    content = _csv_file(keys, json.rows)
    filename = f"api-{clock.now():%Y%m%d-%H%M%S}.csv"
    try:
        batch = batches.upload(actor, filename, content, commit=True)
    except FileRejected as error:
        raise ApiError(422, "rows_rejected", error.user_message) from None
    if batch.status is not ImportBatchStatus.COMMITTED:
        raise ApiError(
            422,
            "rows_rejected",
            _l("数据有问题，未写入任何记录（批次 %(id)s）。", id=batch.id),
            _problem_details(batches.report(batch), keys),
        )
    return _batch_info(batch), 201


def _sent_keys(rows):
    sent = set()
    for row in rows:
        sent.update(row.model_dump(exclude_none=True))
    return [column.key for column in COLUMNS if column.key in sent]


def _csv_file(keys, rows):
    headers = {column.key: str(column.header) for column in COLUMNS}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([headers[key] for key in keys])
    for row in rows:
        values = row.model_dump()
        writer.writerow([_cell(values[key]) for key in keys])
    # The byte-order mark marks the file as UTF-8 for spreadsheet programs
    # that open the stored original.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return neutralize_formula("、".join(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralize_formula(str(value))


def _problem_details(report, keys):
    headers = {str(column.header): column.key for column in COLUMNS}
    return [
        {
            "row": problem["row"] - FIRST_DATA_ROW,
            "field": f"rows.{problem['row'] - FIRST_DATA_ROW}."
            f"{headers.get(problem['header'], problem['header'])}",
            "code": "invalid_value",
            "message": _message(problem),
            "value": problem["value"],
        }
        for problem in report["problems"]
    ]


def _message(problem):
    # The import's own message names the other row by its line in the
    # spreadsheet; an API caller knows rows by their index.
    other = problem.get("other_row")
    if other is None:
        return problem["message"]
    return str(
        _l(
            "与 rows[%(other)s] 的%(header)s重复，同一人或同一证书只能提交一项。",
            other=other - FIRST_DATA_ROW,
            header=problem["header"],
        )
    )


def _batch_info(batch):
    return BatchInfo(
        id=batch.id,
        status=batch.status.value,
        rows=batch.row_count,
        nominated=batch.nomination_count,
        appointed=batch.appointed_count,
        updated=batch.update_count,
        unchanged=batch.unchanged_count,
        notices=batches.report(batch)["notices"],
    )
