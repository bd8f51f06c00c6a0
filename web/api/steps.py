"""API endpoints of workflow steps: list what may be done on a record, take one.

Steps go through the workflow engine exactly as the record pages take
them: the token's account must own the record (or be its parent
department, for the parent's steps) and hold a step's role, and the
``version`` sent must be the record's current one, or the response is 409.
"""

from flask_babel import lazy_gettext as _l

from web.api.blueprint import blueprint, current_actor, spec
from web.api.errors import ApiError
from web.api.responses import BODY_ERRORS, responses
from web.api.schemas import StepBody, StepList, StepResult
from workflow import engine
from workflow.jurisdiction import load_visible
from workflow.models.counselor import Counselor
from workflow.models.service_center import ServiceCenter

TAGS = ("workflow",)
# Steps that need an uploaded file or a scored form; the web pages take
# them, the API does not.
FORM_ONLY_STEPS = frozenset(
    {"strike_off", "pass_evaluation", "fail_evaluation", "order_rectification"}
)
STEP_ERRORS = ("HTTP_403", "HTTP_404", "HTTP_409", *BODY_ERRORS)


@blueprint.get("/counselors/<int:record_id>/steps")
@spec.validate(resp=responses("HTTP_404", HTTP_200=StepList), tags=TAGS)
def counselor_steps(record_id):
    """List the steps the token may take on a counselor record now."""
    return _steps(Counselor, record_id)


@blueprint.post("/counselors/<int:record_id>/steps")
@spec.validate(resp=responses(*STEP_ERRORS, HTTP_200=StepResult), tags=TAGS)
def take_counselor_step(record_id, json: StepBody):
    """Take a step on a counselor record at the ``version`` the decision was made on."""
    return _take_step(Counselor, record_id, json)


@blueprint.get("/service-centers/<int:record_id>/steps")
@spec.validate(resp=responses("HTTP_404", HTTP_200=StepList), tags=TAGS)
def center_steps(record_id):
    """List the steps the token may take on a service center now."""
    return _steps(ServiceCenter, record_id)


@blueprint.post("/service-centers/<int:record_id>/steps")
@spec.validate(resp=responses(*STEP_ERRORS, HTTP_200=StepResult), tags=TAGS)
def take_center_step(record_id, json: StepBody):
    """Take a step on a service center at the ``version`` the decision was made on."""
    return _take_step(ServiceCenter, record_id, json)


def _steps(model, record_id):
    actor = current_actor()
    record = load_visible(actor, model, record_id)
    steps = [
        {
            "trigger": step.trigger,
            "label": str(step.label),
            "needs_reason": step.needs_reason,
            "blocked_reason": _text(engine.blocking_reason(actor, record, step)),
        }
        for step in engine.available_steps(actor, record)
        if step.interactive and step.trigger not in FORM_ONLY_STEPS
    ]
    return StepList(
        record_id=record.id,
        state=record.state.value,
        version=record.version,
        steps=steps,
    )


def _text(message):
    return None if message is None else str(message)


def _take_step(model, record_id, body):
    actor = current_actor()
    if body.trigger in FORM_ONLY_STEPS:
        # Looked up first so that a record outside the jurisdiction is
        # still "not found" rather than revealed by this refusal.
        load_visible(actor, model, record_id)
        raise ApiError(
            422,
            "step_needs_form",
            _l("该步骤需要上传材料或填写评价表，请在系统页面中办理。"),
        )
    record = engine.fire(
        model,
        record_id,
        body.trigger,
        actor,
        expected_version=body.version,
        comment=body.comment,
    )
    return StepResult(
        record_id=record.id,
        trigger=body.trigger,
        state=record.state.value,
        state_label=str(record.state.label),
        version=record.version,
        certificate_number=getattr(record, "certificate_number", None),
    )
