"""When a record waiting in a workflow state becomes past due.

The allowance per state is the setting ``QUEUE_DUE_WORKING_DAYS``, in
working days of the Chinese calendar, keyed ``<workflow>.<state>``. A state
without an allowance has no due date.
"""

import functools

from flask import current_app

from workflow.working_days import add_working_days


def allowance(workflow, state):
    """Return the working days a record may wait in ``state``, or None."""
    key = f"{workflow.name}.{state.value}"
    return current_app.config["QUEUE_DUE_WORKING_DAYS"].get(key) or None


def due_on(workflow, state, start):
    """Return the day a record waiting in ``state`` since ``start`` is due.

    ``start`` is a date: the day the record entered the state, or for a
    public notice the day the notice ends. Returns None without an allowance.
    """
    days = allowance(workflow, state)
    if days is None or start is None:
        return None
    return _add_working_days(start, days)


# Many waiting records share an entry date; the calendar walk is the costly
# part, so each (start, days) pair is computed once per process.
_add_working_days = functools.lru_cache(maxsize=4096)(add_working_days)
