"""Dashboards: progress against targets and queue health, per department."""

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from web import charts
from web.dashboard.workbook import dashboard_workbook
from workflow import clock
from workflow.dashboards import build_dashboard, load_department
from workflow.roles import Role

blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")

# Department staff read dashboards; counselors and center applicants do not.
READER_ROLES = (Role.REGISTRY_ADMIN, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR)
# Townships listed on the page; the workbook lists them all.
TOWNSHIP_LIMIT = 200


@blueprint.before_request
@login_required
def require_staff():
    if not current_user.has_role(*READER_ROLES):
        abort(403)


def _row_label(row):
    return _("本级") if row.is_own else row.department.division_name


def _charts(dashboard):
    drawn = {}
    for figure in dashboard.figures:
        if figure.value is not None and figure.target:
            drawn[figure.indicator.key] = charts.progress_bar(
                figure.value, figure.target, str(figure.indicator.label)
            )
    drawn["children"] = charts.bar_chart(
        [(_row_label(row), row.figure("counselors").value) for row in dashboard.rows],
        _("各下级在聘辅导员"),
        targets=[row.figure("counselors").target for row in dashboard.rows],
    )
    drawn["waiting"] = charts.bar_chart(
        [(_row_label(row), row.queue.waiting) for row in dashboard.rows],
        _("各下级待办数"),
    )
    if dashboard.report_counts:
        drawn["reports"] = charts.bar_chart(
            [(str(state.label), count) for state, count in dashboard.report_counts],
            _("下级年度报送状态"),
            width=420,
        )
    for breakdown in dashboard.breakdowns:
        drawn[breakdown.key] = charts.bar_chart(breakdown.rows, str(breakdown.title))
    drawn["weeks"] = charts.column_chart(
        [week.starts_on.strftime("%m-%d") for week in dashboard.weeks],
        [
            (_("新增"), [week.arrived for week in dashboard.weeks]),
            (_("办结"), [week.completed for week in dashboard.weeks]),
        ],
        _("每周新增与办结"),
        chart_id="weeks",
    )
    return drawn


@blueprint.route("")
def home():
    code = current_user.department.code
    return redirect(url_for("dashboard.show", code=code))


@blueprint.route("/<code>")
def show(code):
    department = load_department(current_user, code)
    dashboard = build_dashboard(current_user, department, clock.now().date())
    return render_template(
        "dashboard/show.html",
        dashboard=dashboard,
        charts=_charts(dashboard),
        township_limit=TOWNSHIP_LIMIT,
    )


@blueprint.route("/<code>/workbook.xlsx")
def workbook(code):
    department = load_department(current_user, code)
    today = clock.now().date()
    dashboard = build_dashboard(current_user, department, today)
    return current_app.response_class(
        dashboard_workbook(dashboard),
        mimetype=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        headers={
            "Content-Disposition": (
                f'attachment; filename="dashboard-{code}-{today}.xlsx"'
            )
        },
    )
