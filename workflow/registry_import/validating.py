"""Checking every row of an upload and planning what the import would write.

``plan_import`` reads the whole file once and keeps each row's normalised
values. It collects a ``Problem`` for every cell that breaks a rule of
the nomination form (``workflow.counselor_rules``), for duplicates inside
the file and for conflicts with the records already in the registry.
Nothing is written here: ``batches`` writes a plan that has no problems.
"""

from decimal import Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow import clock
from workflow.divisions import division_codes_within
from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.models.term import CounselorTerm
from workflow.nominations import (
    FIELDS,
    LOOKUP_CHUNK,
    active_holders,
    cooling_off_errors,
    held_elsewhere_error,
)
from workflow.registry_columns import (
    APPOINTMENT_KEYS,
    COLUMNS_BY_KEY,
    OLD_TEMPLATE_VERSIONS,
    TEMPLATE_VERSION,
    required_columns,
)
from workflow.registry_import.files import FileRejected
from workflow.registry_import.plan import APPOINT, NOMINATE, ImportPlan, Problem
from workflow.registry_import.reading import read_upload
from workflow.registry_import.row_values import RowContext, RowReader
from workflow.registry_import.updates import classify_existing


def plan_import(actor, content, filename, limits):
    """Read and check an upload for ``actor``'s department; write nothing.

    Raises ``FileRejected`` when the file as a whole cannot be imported.
    """
    layout, rows = read_upload(content, filename, limits)
    _check_layout(layout)
    planner = _Planner(layout, _row_context(actor))
    for number, cells in rows:
        planner.add(number, cells)
    if not planner.rows:
        raise FileRejected(
            "header but no data rows",
            _l("工作表中只有表头，没有数据行，请填写后再上传。"),
        )
    planner.check_registry()
    return ImportPlan(
        layout=layout,
        rows=planner.rows,
        problems=sorted(planner.problems, key=lambda p: (p.row, p.column or 0)),
        notices=_notices(layout),
    )


def _check_layout(layout):
    present = {column.key for column in layout.columns.values()}
    missing = [c for c in required_columns() if c.key not in present]
    if missing:
        raise FileRejected(
            f"missing columns {[c.key for c in missing]}",
            _l(
                "缺少必填列：%(headers)s。请使用最新的导入模板，或在表头行补上这些列。",
                headers="、".join(str(c.header) for c in missing),
            ),
        )
    if layout.duplicate_headers:
        column, first, second = layout.duplicate_headers[0]
        raise FileRejected(
            f"column {column.key} appears twice",
            _l(
                "“%(header)s”列出现了两次（第%(first)s列和第%(second)s列），"
                "请删除其中一列。",
                header=column.header,
                first=first + 1,
                second=second + 1,
            ),
        )


def _notices(layout):
    notices = []
    version = layout.template_version
    if version and version != TEMPLATE_VERSION:
        known = version in OLD_TEMPLATE_VERSIONS
        notices.append(
            _l(
                "该文件使用的是%(kind)s模板（版本 %(version)s），当前模板版本为 "
                "%(current)s。已按列名读取，建议下载最新模板。",
                kind=_l("旧版") if known else _l("未知版本的"),
                version=version,
                current=TEMPLATE_VERSION,
            )
        )
    if layout.unknown_headers:
        notices.append(
            _l(
                "以下列不是名录字段，导入时已忽略：%(headers)s。",
                headers="、".join(layout.unknown_headers),
            )
        )
    return notices


def _row_context(actor):
    department = actor.department
    rows = db.session.execute(
        select(Department.code, Department.division_name).where(
            Department.path.startswith(department.path, autoescape=True)
        )
    ).all()
    names = {}
    for code, name in rows:
        names.setdefault(name, []).append(code)
    return RowContext(
        actor=actor,
        today=clock.now().date(),
        allowed_codes=division_codes_within(department),
        division_names=names,
        area_names={code: name for code, name in rows},
        term_years=current_app.config["TERM_YEARS"],
    )


class _Planner:
    def __init__(self, layout, context):
        self.layout = layout
        self.context = context
        self.actor = context.actor
        self.reader = RowReader(layout.columns, context)
        self.positions = {c.key: p for p, c in layout.columns.items()}
        self.rows = []
        self.problems = []
        self.seen_ids = {}
        self.seen_certificates = {}

    def add(self, number, cells):
        """Normalise and check one row; remember it and its problems."""
        row, cell_problems = self.reader.read(cells)
        for key, message, cell in cell_problems:
            self.problem(number, key, message, cell)
        row.row = number
        self.rows.append(row)
        self._check_duplicate("id_number", row.values.get("id_number"), number)
        if row.appointment:
            number_text = row.appointment.get("certificate_number")
            self._check_duplicate("certificate_number", number_text, number)

    def problem(self, number, key, message, cell=None, other_row=None):
        """Add a problem at row ``number`` in the column of ``key``."""
        position = self.positions.get(key)
        if position is None:
            position = next(
                (self.positions[k] for k in APPOINTMENT_KEYS if k in self.positions),
                None,
            )
        header = self.layout.headers.get(position) or str(COLUMNS_BY_KEY[key].header)
        self.problems.append(
            Problem(number, position, header, _shown(cell), str(message), other_row)
        )

    def _check_duplicate(self, key, value, number):
        if not value:
            return
        seen = self.seen_ids if key == "id_number" else self.seen_certificates
        first = seen.setdefault(value, number)
        if first == number:
            return
        label = COLUMNS_BY_KEY[key].header
        for row_number, other in ((first, number), (number, first)):
            self.problem(
                row_number,
                key,
                _l(
                    "与第%(other)s行的%(label)s重复，同一人或同一证书只能填写一行，"
                    "请删除或合并重复的行。",
                    other=other,
                    label=label,
                ),
                value,
                other_row=other,
            )

    def check_registry(self):
        """Compare the rows with the records the registry already holds.

        A person held by another department is reported on every row with a
        valid ID number; the other comparisons need a row without problems.
        """
        bad_rows = {problem.row for problem in self.problems}
        identified = [row for row in self.rows if row.facts is not None]
        id_numbers = [row.values["id_number"] for row in identified]
        holders = active_holders(id_numbers)
        cooling_off = cooling_off_errors(id_numbers)
        certificates = _certificate_holders(
            [
                row.appointment["certificate_number"]
                for row in identified
                if row.appointment
            ]
        )
        for row in identified:
            holder = holders.get(row.values["id_number"])
            if holder is not None and holder.department_id != self.actor.department_id:
                self.problem(
                    row.row,
                    "id_number",
                    held_elsewhere_error(holder).user_message,
                    row.values["id_number"],
                )
            elif holder is None and row.values["id_number"] in cooling_off:
                self.problem(
                    row.row,
                    "id_number",
                    cooling_off[row.values["id_number"]].user_message,
                    row.values["id_number"],
                )
            elif row.row not in bad_rows:
                self._check_certificate(row, certificates)
                self._plan_action(row, holder)

    def _plan_action(self, row, holder):
        if holder is None:
            row.action = APPOINT if row.appointment else NOMINATE
            return
        outcome = classify_existing(row, holder, self.context, self.positions)
        for key, message in outcome.problems:
            self.problem(row.row, key, message, _cell_of(row, key))
        row.record_id = holder.id
        if not outcome.problems:
            row.action, row.changes = outcome.action, outcome.changes

    def _check_certificate(self, row, certificates):
        if not row.appointment:
            return
        number = row.appointment["certificate_number"]
        holder_id_number = certificates.get(number)
        if holder_id_number is not None and holder_id_number != row.values["id_number"]:
            self.problem(
                row.row,
                "certificate_number",
                _l("该证书编号已被名录中的其他人员使用，请核对证书编号。"),
                number,
            )


def _cell_of(row, key):
    if key in FIELDS:
        return row.values.get(key)
    return (row.appointment or {}).get(key)


def _shown(cell):
    if cell is None:
        return ""
    if isinstance(cell, float):
        # Show a number as a spreadsheet stores it, to 15 significant digits.
        return format(Decimal(f"{cell:.15g}"), "f")
    if isinstance(cell, list):
        return "、".join(str(item) for item in cell)
    return str(cell)


def _certificate_holders(numbers):
    # A number may be a record's current one or that of an earlier term.
    holders = {}
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        chunk = numbers[start : start + LOOKUP_CHUNK]
        current = select(Counselor.certificate_number, Counselor.id_number).where(
            Counselor.certificate_number.in_(chunk)
        )
        earlier = (
            select(CounselorTerm.certificate_number, Counselor.id_number)
            .join(Counselor, Counselor.id == CounselorTerm.counselor_id)
            .where(CounselorTerm.certificate_number.in_(chunk))
        )
        holders.update(dict(db.session.execute(earlier).all()))
        holders.update(dict(db.session.execute(current).all()))
    return holders
