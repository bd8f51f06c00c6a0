"""Shared shape of a workflow declaration: states, transitions, guards."""

from dataclasses import dataclass, field

from transitions import Machine, MachineError

# Which department fires a step: the record's owner, or the department
# directly above it (for example a parent accepting a child's report).
OWNER = "owner"
PARENT = "parent"


@dataclass(frozen=True)
class Step:
    """One transition of a workflow and who may fire it.

    ``guards`` are functions ``guard(record, context)`` returning ``None``
    when the step may proceed, or a user message saying why it may not.
    ``effects`` run after the state has changed, inside the same transaction.
    ``acting_department`` is ``OWNER`` or ``PARENT``.
    A step that is not ``interactive`` is taken only by a batch process such
    as the spreadsheet import; it is never offered on a page or in a queue.
    ``in_queue`` is false for steps a user takes when needed rather than
    as pending work, so records waiting only for them stay out of the queue.
    ``keeps_claim`` carries the actor's queue claim into the new state
    instead of ending it (see workflow/claims.py).
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
    acting_department: str = OWNER
    interactive: bool = True
    in_queue: bool = True
    keeps_claim: bool = False


class Workflow:
    """A workflow declared once per process around a ``transitions`` machine.

    Records are never added to the machine: each trigger is fired on the
    record directly through ``machine.events``, so one machine serves every
    request and thread without holding references to records.
    """

    def __init__(self, name, states, steps, model_attribute="state", label=None):
        self.name = name
        self.label = label or name
        self.model_attribute = model_attribute
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

    @property
    def initial_state(self):
        """Return the state a record starts in: the first one declared."""
        return next(iter(self.states))

    @property
    def waiting_states(self):
        """Return the states in which a record waits for someone's step.

        These are the states, other than the initial one, that a step
        marked ``in_queue`` leaves: the same rule that fills the queue.
        """
        sources = {
            source
            for step in self.steps.values()
            if step.in_queue and step.interactive
            for source in step.sources
        }
        return [
            state
            for state in self.states
            if state in sources and state is not self.initial_state
        ]

    @property
    def final_states(self):
        """Return the states no step leaves, where a record's path ends."""
        sources = {source for step in self.steps.values() for source in step.sources}
        return [state for state in self.states if state not in sources]

    def fire(self, record, trigger, context):
        """Move ``record`` along ``trigger``; return whether the machine did."""
        return self.machine.events[trigger].trigger(record, context=context)

    def fire_new_records(self, records, trigger, context):
        """Move new records along ``trigger``; return their former states.

        Does for each record what ``fire`` does: the record must be in a
        source state of the machine's transition, ends in its destination,
        and the step's effects run on it. The machine itself is asked once
        per source state rather than once per record, because its event
        bookkeeping costs about 0.1 ms a record and an import moves tens of
        thousands. The caller runs the step's guards first, as the engine's
        ``take_import_step`` does; they are not run a second time here.
        """
        step = self.steps[trigger]
        destinations = {}
        from_states = []
        for record in records:
            source = getattr(record, self.model_attribute)
            if source not in destinations:
                destinations[source] = self._destination(trigger, source)
            setattr(record, self.model_attribute, destinations[source])
            for effect in step.effects:
                effect(record, context)
            from_states.append(source)
        return from_states

    def _destination(self, trigger, source):
        transitions = self.machine.get_transitions(trigger, source=source)
        if not transitions:
            raise MachineError(f"{self.name} has no {trigger} from {source}")
        return self.machine.get_state(transitions[0].dest).value
