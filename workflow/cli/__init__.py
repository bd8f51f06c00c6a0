"""Flask CLI commands, one module per resource they manage."""


def register_commands(app):
    """Add every command group to ``app.cli``."""
    from workflow.cli.accounts import accounts
    from workflow.cli.counselors import counselors
    from workflow.cli.demo import demo
    from workflow.cli.divisions import divisions
    from workflow.cli.mail import mail
    from workflow.cli.outbox import outbox
    from workflow.cli.reminders import reminders
    from workflow.cli.scheduler import scheduler

    app.cli.add_command(accounts)
    app.cli.add_command(divisions)
    app.cli.add_command(demo)
    app.cli.add_command(outbox)
    app.cli.add_command(reminders)
    app.cli.add_command(scheduler)
    app.cli.add_command(mail)
    from workflow.cli.entities import entities
    from workflow.cli.registry import registry

    app.cli.add_command(divisions)
    app.cli.add_command(demo)
    app.cli.add_command(counselors)
    app.cli.add_command(entities)
    app.cli.add_command(registry)
