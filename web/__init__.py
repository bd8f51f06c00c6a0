"""The Flask application: factory, blueprints, templates and static files."""

import logging
from pathlib import Path

from flask import Flask

from config import config_for


def create_app(config=None, **overrides):
    """Build the app with ``config`` (a name or class) and ``overrides``."""
    app = Flask(__name__, instance_relative_config=True)
    settings = config if isinstance(config, type) else config_for(config)
    app.config.from_object(settings)
    app.config.update(overrides)
    _init_database_url(app)
    _init_logging(app)

    from web import errors, i18n, security
    from web.auth import views as auth
    from web.counselors import views as counselors
    from web.imports import views as imports
    from web.queue import views as queue
    from workflow import extensions
    from workflow.cli import register_commands

    extensions.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(queue.blueprint)
    app.register_blueprint(counselors.blueprint)
    app.register_blueprint(imports.blueprint)
    register_commands(app)
    _init_templates(app)
    return app


def _init_templates(app):
    from workflow.roles import Role

    app.jinja_env.globals["Role"] = Role


def _init_database_url(app):
    if app.config.get("SQLALCHEMY_DATABASE_URI"):
        return
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'fudao.db'}"


def _init_logging(app):
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set; export FUDAO_SECRET_KEY with a long random "
            "value before starting Fudao in production."
        )
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    # transitions logs every callback at INFO; the engine logs each step.
    logging.getLogger("transitions").setLevel(logging.WARNING)
