"""Shared shape of a workflow declaration: states, transitions, guards."""

from dataclasses import dataclass, field

from transitions import Machine


@dataclass(frozen=True)
class Step:
    """One transition of a workflow and who may fire it.

    ``guards`` are functions ``guard(record, context)`` returning ``None``
    when the step may proceed, or a user message saying why it may not.
    ``effects`` run after the state has changed, inside the same transaction.
    A step that is not ``interactive`` is taken only by a batch process such
    as the spreadsheet import; it is never offered on a page or in a queue.
    """

    trigger: str
    sources: tuple
    dest: object
    roles: frozenset
    label: str
    needs_reason: bool = False
    style: str = "primary"
    guards: tuple = ()
    effects: tuple = field(default=())
    interactive: bool = True


class Workflow:
    """A workflow declared once per process around a ``transitions`` machine.

    Records are never added to the machine: each trigger is fired on the
    record directly through ``machine.events``, so one machine serves every
    request and thread without holding references to records.
    """

    def __init__(self, name, states, steps, model_attribute="state"):
        self.name = name
        self.states = states
        self.steps = {step.trigger: step for step in steps}
        self.machine = Machine(
            model=None,
            states=states,
            transitions=[self._as_transition(step) for step in steps],
            initial=None,
            model_attribute=model_attribute,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )

    @staticmethod
    def _as_transition(step):
        # Guards run again inside the machine as conditions, so a caller that
        # bypasses the engine still cannot move a record past a failed guard.
        conditions = [
            (
                lambda event, guard=guard: (
                    guard(event.model, event.kwargs["context"]) is None
                )
            )
            for guard in step.guards
        ]
        after = [
            (lambda event, effect=effect: effect(event.model, event.kwargs["context"]))
            for effect in step.effects
        ]
        return {
            "trigger": step.trigger,
            "source": list(step.sources),
            "dest": step.dest,
            "conditions": conditions,
            "after": after,
        }

    def step(self, trigger):
        """Return the step named ``trigger`` or ``None``."""
        return self.steps.get(trigger)

    def steps_from(self, state):
        """Return the interactive steps that may start from ``state``, in order."""
        return [
            step
            for step in self.steps.values()
            if state in step.sources and step.interactive
        ]

    def fire(self, record, trigger, context):
        """Move ``record`` along ``trigger``; return whether the machine did."""
        return self.machine.events[trigger].trigger(record, context=context)
