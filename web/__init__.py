"""The Flask application: factory, blueprints, templates and static files."""

import logging
from pathlib import Path

from flask import Flask

from config import config_for
from web import request_logging


def create_app(config=None, **overrides):
    """Build the app with ``config`` (a name or class) and ``overrides``."""
    app = Flask(__name__, instance_relative_config=True)
    settings = config if isinstance(config, type) else config_for(config)
    app.config.from_object(settings)
    app.config.update(overrides)
    _init_database_url(app)
    _init_logging(app)

    from web import api, errors, i18n, security
    from web.accounts import api_tokens
    from web.accounts import views as accounts
    from web.activity import views as activity
    from web.agreements import views as agreements
    from web.applicants import views as applicants
    from web.audit import views as audit
    from web.auth import views as auth
    from web.centers import views as centers
    from web.certificates import views as certificates
    from web.claims import views as claims
    from web.counselors import views as counselors
    from web.dashboard import views as dashboard
    from web.entities import views as entities
    from web.evaluations import views as evaluations
    from web.exports import views as exports
    from web.health import views as health
    from web.help import views as help_pages
    from web.imports import views as imports
    from web.lifecycle import views as lifecycle
    from web.notifications import views as notifications
    from web.public import views as public
    from web.queue import views as queue
    from web.reports import views as reports
    from web.self_service import views as self_service
    from web.supervision import views as supervision
    from web.verification import views as verification
    from workflow import extensions
    from workflow.cli import register_commands

    extensions.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(queue.blueprint)
    app.register_blueprint(counselors.blueprint)
    app.register_blueprint(reports.blueprint)
    app.register_blueprint(notifications.blueprint)
    app.register_blueprint(imports.blueprint)
    app.register_blueprint(applicants.blueprint)
    app.register_blueprint(centers.blueprint)
    app.register_blueprint(supervision.blueprint)
    app.register_blueprint(agreements.blueprint)
    app.register_blueprint(public.blueprint)
    app.register_blueprint(lifecycle.blueprint)
    app.register_blueprint(activity.blueprint)
    app.register_blueprint(entities.blueprint)
    app.register_blueprint(evaluations.blueprint)
    app.register_blueprint(self_service.blueprint)
    app.register_blueprint(claims.blueprint)
    app.register_blueprint(accounts.blueprint)
    app.register_blueprint(api_tokens.blueprint)
    app.register_blueprint(audit.blueprint)
    app.register_blueprint(exports.blueprint)
    app.register_blueprint(dashboard.blueprint)
    app.register_blueprint(certificates.blueprint)
    app.register_blueprint(verification.blueprint)
    app.register_blueprint(help_pages.blueprint)
    api.init_app(app)
    if app.config["BENCH_ROUTES"]:
        from web.queue import bench_views

        app.register_blueprint(bench_views.blueprint)
    register_commands(app)
    _init_templates(app)
    return app


def _init_templates(app):
    from workflow.models.entity import EntityKind
    from workflow.roles import Role

    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["EntityKind"] = EntityKind
    from workflow.personal_data import mask_id_number, mask_mobile

    app.jinja_env.filters["mask_id_number"] = mask_id_number
    app.jinja_env.filters["mask_mobile"] = mask_mobile


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
    request_logging.init_app(app)
    # transitions logs every callback at INFO; the engine logs each step.
    logging.getLogger("transitions").setLevel(logging.WARNING)
    # Alembic announces each of its plugins at INFO on every flask command.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
