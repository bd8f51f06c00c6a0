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
    "start_term_ending": (
        {S.APPOINTED},
        S.TERM_ENDING,
        {Role.SYSTEM, Role.REVIEWER},
        False,
    ),
    "renew": ({S.TERM_ENDING}, S.APPOINTED, {Role.REVIEWER, Role.LEADER}, False),
    "transfer_out": (
        {S.TERM_ENDING},
        S.TRANSFERRED_OUT,
        {Role.REVIEWER, Role.LEADER},
        True,
    ),
    "strike_off": (
        {S.APPOINTED, S.TERM_ENDING},
        S.STRUCK_OFF,
        {Role.REVIEWER, Role.LEADER},
        True,
    ),
    "withdraw": (
        {S.APPOINTED, S.TERM_ENDING},
        S.WITHDRAWN,
        {Role.REVIEWER, Role.LEADER},
        True,
    ),
    "reinstate": ({S.STRUCK_OFF, S.WITHDRAWN}, S.APPOINTED, {Role.LEADER}, True),
    # Taken only by the spreadsheet import, never through engine.fire.
    "import_appointed": ({S.DRAFT}, S.APPOINTED, {Role.REGISTRY_ADMIN}, False),
}

EXPECTED_STATES = (
    "draft",
    "nominated",
    "under_review",
    "returned",
    "rejected",
    "public_notice",
    "appointed",
    "term_ending",
    "transferred_out",
    "struck_off",
    "withdrawn",
)
