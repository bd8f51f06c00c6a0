"""Help pages: each workflow's diagram and step table, read from the code."""

from flask import Blueprint, abort, render_template
from flask_login import login_required

from web.diagrams import workflow_diagram
from workflow.engine import workflow_models

blueprint = Blueprint("help", __name__, url_prefix="/help")


def _workflows():
    return {model.__workflow__.name: model.__workflow__ for model in workflow_models()}


@blueprint.route("/workflows")
@login_required
def workflows():
    return render_template("help/workflows.html", workflows=_workflows().values())


@blueprint.route("/workflows/<name>")
@login_required
def workflow(name):
    chosen = _workflows().get(name)
    if chosen is None:
        abort(404)
    return render_template(
        "help/workflow.html",
        workflow=chosen,
        diagram=workflow_diagram(chosen),
        steps=list(chosen.steps.values()),
    )
