"""The numbers of a dashboard as an .xlsx workbook, one sheet per table."""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

HEADER_FONT = Font(bold=True)


def _sheet(book, title, header, rows):
    sheet = book.create_sheet(title)
    sheet.append([str(cell) for cell in header])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
    for row in rows:
        sheet.append(list(row))
    for column, name in zip(sheet.columns, header, strict=True):
        width = max(len(str(name)) * 2, *(len(str(c.value or "")) for c in column))
        sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 40)
    return sheet


def _queue_cells(queue):
    return [queue.waiting, queue.median_age, queue.oldest_age, queue.past_due]


def _summary_rows(dashboard):
    for figure in dashboard.figures:
        yield (str(figure.indicator.label), figure.value, figure.target, figure.share)


def _report_cells(report):
    if report is None:
        return ["—", None]
    submitted_on = (
        report.submitted_at.date().isoformat() if report.submitted_at else None
    )
    return [str(report.state.label), submitted_on]


def _child_rows(dashboard, indicators):
    for row in dashboard.rows:
        name = _("本级") if row.is_own else row.department.division_name
        cells = [name, row.department.code]
        for figure in row.figures:
            if figure.indicator in indicators:
                cells += [figure.value, figure.target, figure.share]
        cells += _queue_cells(row.queue)
        if dashboard.report_counts:
            cells += _report_cells(row.report)
        yield cells


def dashboard_workbook(dashboard):
    """Return the .xlsx bytes of ``dashboard``'s tables."""
    book = Workbook()
    book.remove(book.active)
    department = dashboard.department
    summary = _sheet(
        book,
        _("概览"),
        [_("指标"), _("数值"), _("目标"), _("完成率（%）")],
        _summary_rows(dashboard),
    )
    summary.append([])
    summary.append([_("部门"), department.name])
    summary.append([_("统计日期"), dashboard.today.isoformat()])

    counted = [f.indicator for f in dashboard.figures if f.value is not None]
    header = [_("部门"), _("区划代码")]
    for indicator in counted:
        header += [str(indicator.label), _("目标"), _("完成率（%）")]
    header += [_("待办"), _("等待天数中位数"), _("最长等待天数"), _("逾期")]
    if dashboard.report_counts:
        header += [
            _("%(year)s年度报送", year=dashboard.report_year),
            _("提交日期"),
        ]
    _sheet(book, _("下级部门"), header, _child_rows(dashboard, counted))
    if dashboard.report_counts:
        _sheet(
            book,
            _("年度报送"),
            [_("报送年度"), _("状态"), _("部门数")],
            (
                (dashboard.report_year, str(state.label), count)
                for state, count in dashboard.report_counts
            ),
        )

    if dashboard.uncovered_townships is not None:
        _sheet(
            book,
            _("无专职辅导员乡镇"),
            [_("乡镇"), _("区划代码"), _("所属县（市、区）")],
            (
                (township.division_name, township.code, township.parent.division_name)
                for township in dashboard.uncovered_townships
            ),
        )
    _sheet(
        book,
        _("辅导员构成"),
        [_("分类"), _("项目"), _("人数")],
        (
            (str(breakdown.title), label, count)
            for breakdown in dashboard.breakdowns
            for label, count in breakdown.rows
        ),
    )
    _sheet(
        book,
        _("待办状态"),
        [
            _("流程"),
            _("状态"),
            _("待办"),
            _("等待天数中位数"),
            _("最长等待天数"),
            _("逾期"),
        ],
        (
            (str(row.workflow.label), str(row.state.label), *_queue_cells(row.queue))
            for row in dashboard.queue_by_state
        ),
    )
    _sheet(
        book,
        _("每周办理"),
        [_("周起始日"), _("新增"), _("办结")],
        ((w.starts_on.isoformat(), w.arrived, w.completed) for w in dashboard.weeks),
    )
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
