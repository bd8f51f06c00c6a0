"""Flask CLI commands, one module per resource they manage."""


def register_commands(app):
    """Add every command group to ``app.cli``."""
    from workflow.cli.accounts import accounts
    from workflow.cli.backup import backup
    from workflow.cli.counselors import counselors
    from workflow.cli.demo import demo
    from workflow.cli.divisions import divisions
    from workflow.cli.entities import entities
    from workflow.cli.mail import mail
    from workflow.cli.outbox import outbox
    from workflow.cli.registry import registry
    from workflow.cli.reminders import reminders
    from workflow.cli.scheduler import scheduler

    for group in (
        accounts,
        backup,
        counselors,
        demo,
        divisions,
        entities,
        mail,
        outbox,
        registry,
        reminders,
        scheduler,
    ):
        app.cli.add_command(group)
