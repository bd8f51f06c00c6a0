"""The counselor workflow as the tests expect it, written out by hand.

The workflow module declares the same table. Tests compare the two, and
the permission matrix in test_engine.py takes its expected outcomes from
here, so a wrong edit of the declared table fails the suite.
"""

from workflow.roles import Role
from workflow.states.counselor import CounselorState as S

# trigger: (source states, destination, roles allowed, reason required)
EXPECTED_STEPS = {
    "nominate": ({S.DRAFT, S.RETURNED}, S.NOMINATED, {Role.REGISTRY_ADMIN}, False),
    "start_review": ({S.NOMINATED}, S.UNDER_REVIEW, {Role.REVIEWER}, False),
    "approve": ({S.UNDER_REVIEW}, S.PUBLIC_NOTICE, {Role.REVIEWER}, False),
    "return_for_revision": ({S.UNDER_REVIEW}, S.RETURNED, {Role.REVIEWER}, True),
    "reject": ({S.UNDER_REVIEW}, S.REJECTED, {Role.REVIEWER}, True),
    "uphold_objection": (
        {S.PUBLIC_NOTICE},
        S.REJECTED,
        {Role.REVIEWER, Role.LEADER},
        True,
    ),
    "appoint": ({S.PUBLIC_NOTICE}, S.APPOINTED, {Role.REVIEWER, Role.LEADER}, False),
}

EXPECTED_STATES = (
    "draft",
    "nominated",
    "under_review",
    "returned",
    "rejected",
    "public_notice",
    "appointed",
)
