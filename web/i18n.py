"""Locale selection and the template filters that format dates and states."""

from flask import current_app, has_request_context, request

from workflow.extensions import babel

SUPPORTED_LOCALES = ("zh_Hans_CN",)


def select_locale():
    """Pick the best supported locale for the request; Chinese by default."""
    if has_request_context():
        best = request.accept_languages.best_match(SUPPORTED_LOCALES)
        if best:
            return best
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_date(value):
    """Format a date as 2026-03-31, or an empty string for None."""
    return value.strftime("%Y-%m-%d") if value else ""


def format_datetime(value):
    """Format a timestamp to the minute, or an empty string for None."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def init_app(app):
    """Bind Flask-Babel and register the formatting filters."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
