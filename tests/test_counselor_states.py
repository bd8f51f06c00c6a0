"""The counselor workflow table, its machine and its guards."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from transitions import MachineError

from tests.expected_steps import EXPECTED_STATES, EXPECTED_STEPS
from workflow.engine import Context
from workflow.models import Counselor, Department, DepartmentLevel
from workflow.states.counselor import (
    COUNSELOR_WORKFLOW,
    CounselorState,
    department_can_appoint,
    notice_period_over,
)

WORKFLOW = COUNSELOR_WORKFLOW


def _context(today):
    now = datetime.combine(today, datetime.min.time())
    return Context(actor=None, now=now, today=today, comment=None)


def test_states_match_expected_list():
    assert tuple(state.value for state in CounselorState) == EXPECTED_STATES


@pytest.mark.parametrize("state", list(CounselorState))
def test_state_has_chinese_label(state):
    label = str(state.label)

    assert label
    assert all("\u4e00" <= char <= "\u9fff" for char in label)


def test_triggers_match_expected_table():
    assert set(WORKFLOW.steps) == set(EXPECTED_STEPS)


@pytest.mark.parametrize("trigger", sorted(EXPECTED_STEPS))
def test_step_matches_expected_row(trigger):
    sources, dest, roles, needs_reason = EXPECTED_STEPS[trigger]

    step = WORKFLOW.step(trigger)

    assert set(step.sources) == sources
    assert step.dest is dest
    assert set(step.roles) == roles
    assert step.needs_reason is needs_reason


@pytest.mark.parametrize("trigger", sorted(EXPECTED_STEPS))
def test_machine_declares_every_step(trigger):
    sources, dest, _roles, _needs_reason = EXPECTED_STEPS[trigger]

    transitions = WORKFLOW.machine.events[trigger].transitions

    assert set(transitions) == {state.name for state in sources}
    assert all(t[0].dest == dest.name for t in transitions.values())


def test_machine_has_no_automatic_transitions():
    assert set(WORKFLOW.machine.events) == set(EXPECTED_STEPS)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (CounselorState.DRAFT, ["nominate"]),
        (CounselorState.RETURNED, ["nominate"]),
        (CounselorState.NOMINATED, ["start_review"]),
        (
            CounselorState.UNDER_REVIEW,
            ["approve", "return_for_revision", "reject"],
        ),
        (CounselorState.PUBLIC_NOTICE, ["uphold_objection", "appoint"]),
        (CounselorState.REJECTED, []),
        (CounselorState.APPOINTED, ["start_term_ending", "strike_off", "withdraw"]),
        (
            CounselorState.TERM_ENDING,
            ["renew", "transfer_out", "strike_off", "withdraw"],
        ),
    ],
)
def test_steps_from_state(state, expected):
    triggers = [step.trigger for step in WORKFLOW.steps_from(state)]

    assert triggers == expected


def test_machine_refuses_step_from_wrong_state():
    record = Counselor(state=CounselorState.DRAFT)

    with pytest.raises(MachineError, match="Can't trigger event approve"):
        WORKFLOW.fire(record, "approve", _context(date(2026, 3, 2)))

    assert record.state is CounselorState.DRAFT


@pytest.mark.parametrize(
    ("today", "refused"),
    [
        (date(2026, 2, 26), True),
        (date(2026, 2, 27), True),
        (date(2026, 2, 28), False),
    ],
)
def test_notice_period_over_from_day_after_end(today, refused):
    record = SimpleNamespace(notice_ends_on=date(2026, 2, 27))

    message = notice_period_over(record, _context(today))

    assert (message is not None) is refused


def test_notice_period_over_names_end_date():
    record = SimpleNamespace(notice_ends_on=date(2026, 2, 27))

    message = notice_period_over(record, _context(date(2026, 2, 27)))

    assert "2026-02-27" in str(message)


def test_notice_period_over_refuses_without_notice():
    record = SimpleNamespace(notice_ends_on=None)

    assert notice_period_over(record, _context(date(2026, 3, 2))) is not None


@pytest.mark.parametrize(
    ("level", "may_appoint"),
    [
        (DepartmentLevel.MINISTRY, True),
        (DepartmentLevel.PROVINCE, True),
        (DepartmentLevel.PREFECTURE, True),
        (DepartmentLevel.COUNTY, True),
        (DepartmentLevel.TOWNSHIP, False),
    ],
)
def test_department_can_appoint_by_level(level, may_appoint):
    record = SimpleNamespace(department=Department(level=level))

    message = department_can_appoint(record, _context(date(2026, 3, 2)))

    assert (message is None) is may_appoint
