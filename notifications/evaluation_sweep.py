"""The daily sweep of evaluation rounds nearing or past their deadline.

A round is swept while it is still open (collecting self-assessments or
scoring) and some of its counselors have no score yet. Before the deadline
the reviewers and leaders of the department that owns the round are
reminded, and the day after it they and those of the parent department
are notified that the round is overdue. Each message says how many counselors are
still unevaluated. Rounds without a deadline (opened before rounds had
one) get no messages.
"""

from collections import Counter

from sqlalchemy import case, func, select

from notifications import rules
from notifications.outbox import notify_users, staff_by_department, written_keys
from workflow.evaluation_deadlines import EDITABLE_STATES
from workflow.extensions import db
from workflow.models.department import Department
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.roles import Role

RECIPIENTS = (Role.REVIEWER, Role.LEADER)


def sweep_evaluation_rounds(today):
    """Write the evaluation reminders and overdue notices due ``today``."""
    evaluation_rules = rules.evaluation_rules()
    rounds = unfinished_rounds()
    if not rounds:
        return Counter()
    department_ids = {r.department_id for r in rounds}
    department_ids |= {r.parent_id for r in rounds} - {None}
    staff = staff_by_department(department_ids, RECIPIENTS)
    done = written_keys(
        EvaluationRound.__tablename__, min(r.created_at for r in rounds)
    )

    written = Counter()
    for round_ in rounds:
        audiences = {
            rules.DEPARTMENT: staff.get(round_.department_id, []),
            rules.PARENT: staff.get(round_.parent_id, []),
        }
        for rule in rules.due_rules(evaluation_rules, round_.deadline, today):
            recipients = audiences[rule.audience]
            written[rule.kind] += _notify(round_, rule, recipients, today, done)
    db.session.commit()
    return written


def unfinished_rounds():
    """Return plain rows of open rounds with a deadline and unscored entries.

    Each row counts the round's participants, those not yet scored and
    those without a self-assessment.
    """
    unevaluated = func.count(case((EvaluationEntry.total.is_(None), 1)))
    return db.session.execute(
        select(
            EvaluationRound.id,
            EvaluationRound.department_id,
            EvaluationRound.year,
            EvaluationRound.deadline,
            EvaluationRound.created_at,
            Department.name.label("department_name"),
            Department.parent_id,
            func.count(EvaluationEntry.id).label("participants"),
            unevaluated.label("unevaluated"),
            func.count(case((EvaluationEntry.self_assessed_at.is_(None), 1))).label(
                "missing_self_assessments"
            ),
        )
        .join(Department, Department.id == EvaluationRound.department_id)
        .join(EvaluationEntry, EvaluationEntry.round_id == EvaluationRound.id)
        .where(
            EvaluationRound.deadline.is_not(None),
            EvaluationRound.state.in_(EDITABLE_STATES),
        )
        .group_by(
            EvaluationRound.id,
            EvaluationRound.department_id,
            EvaluationRound.year,
            EvaluationRound.deadline,
            EvaluationRound.created_at,
            Department.name,
            Department.parent_id,
        )
        .having(unevaluated > 0)
        .order_by(EvaluationRound.id)
    ).all()


def _notify(round_, rule, recipients, today, done):
    context = {
        "department_name": round_.department_name,
        "year": round_.year,
        "deadline": round_.deadline.isoformat(),
        "days_left": (round_.deadline - today).days,
        "participants": round_.participants,
        "unevaluated": round_.unevaluated,
        "missing_self_assessments": round_.missing_self_assessments,
    }
    return notify_users(
        recipients,
        rule.kind,
        f"{rule.code}:{round_.id}:{round_.deadline.isoformat()}",
        context,
        about=(EvaluationRound.__tablename__, round_.id),
        link=f"/evaluations/{round_.id}",
        skip_keys=done,
    )
