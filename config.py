"""Settings for each environment, read from environment variables.

Every setting can be overridden with an environment variable of the same
name prefixed with ``FUDAO_``; for example ``FUDAO_DATABASE_URL``. The
default database is a SQLite file under the Flask instance folder, so the
product runs with nothing installed besides its Python packages.
"""

import os


def _env(name, default=None):
    return os.environ.get(f"FUDAO_{name}", default)


def _env_bool(name, default):
    raw = _env(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"FUDAO_{name} must be true or false, got {raw!r}.")


def _env_days(name, default):
    raw = _env(name)
    if raw is None:
        return default
    try:
        days = tuple(sorted({int(part) for part in raw.split(",")}, reverse=True))
    except ValueError:
        raise ValueError(
            f"FUDAO_{name} must list whole days separated by commas, such as "
            f"30,14,7; got {raw!r}."
        ) from None
    if not days or days[-1] < 1:
        raise ValueError(f"FUDAO_{name} needs one or more days of 1 or more.")
    return days


def _env_int(name, default):
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(
            f"FUDAO_{name} must be an integer, got {raw!r}; "
            f"unset it to use the default {default}."
        ) from None


class Config:
    """Defaults shared by every environment."""

    SECRET_KEY = _env("SECRET_KEY")
    # None means "SQLite file in the instance folder"; see create_app.
    SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    WTF_CSRF_ENABLED = True
    # Pages and forms are written for mainland users; other locales can be
    # added as Babel catalogs under web/translations.
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = "translations"

    # Workflow settings. They are copied onto a counselor record when its
    # path starts, so changing them never rewrites records under way.
    PUBLIC_NOTICE_WORKING_DAYS = _env_int("PUBLIC_NOTICE_WORKING_DAYS", 5)
    TERM_YEARS = _env_int("TERM_YEARS", 3)

    # The annual reporting window: each year from this month-day to that
    # month-day (inclusive) departments enter last year's data.
    REPORTING_WINDOW_OPENS = _env("REPORTING_WINDOW_OPENS", "01-01")
    REPORTING_WINDOW_CLOSES = _env("REPORTING_WINDOW_CLOSES", "06-30")
    # Reminders to departments that have not submitted, in days before the
    # deadline, and notices about terms ending, in days before the term end.
    REPORT_REMINDER_DAYS = _env_days("REPORT_REMINDER_DAYS", (30, 14, 7, 3, 1))
    TERM_END_NOTICE_DAYS = _env_days("TERM_END_NOTICE_DAYS", (60, 30))

    # Outgoing mail. Links in emails start with PUBLIC_BASE_URL.
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    SMTP_HOST = _env("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_USERNAME = _env("SMTP_USERNAME")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", False)
    # Seconds to wait for each answer of the mail server.
    SMTP_TIMEOUT = _env_int("SMTP_TIMEOUT", 30)
    MAIL_FROM_ADDRESS = _env("MAIL_FROM_ADDRESS", "noreply@example.com")
    MAIL_FROM_NAME = _env("MAIL_FROM_NAME", "新型农业经营主体辅导员名录库")

    # The outbox sender: attempts per message, the first retry delay in
    # seconds (doubled after each failure, capped at six hours), how long a
    # claim on a message lasts, and messages per run.
    OUTBOX_MAX_ATTEMPTS = _env_int("OUTBOX_MAX_ATTEMPTS", 6)
    OUTBOX_BACKOFF_SECONDS = _env_int("OUTBOX_BACKOFF_SECONDS", 60)
    OUTBOX_LEASE_SECONDS = _env_int("OUTBOX_LEASE_SECONDS", 300)
    OUTBOX_BATCH_SIZE = _env_int("OUTBOX_BATCH_SIZE", 100)

    # The scheduler process: when the daily reminder sweep runs (Beijing
    # time), how often the outbox is sent, and how long its lease lasts.
    SCHEDULER_SWEEP_AT = _env("SCHEDULER_SWEEP_AT", "08:30")
    SCHEDULER_SEND_EVERY_SECONDS = _env_int("SCHEDULER_SEND_EVERY_SECONDS", 60)
    SCHEDULER_LEASE_SECONDS = _env_int("SCHEDULER_LEASE_SECONDS", 90)

    QUEUE_PAGE_SIZE = _env_int("QUEUE_PAGE_SIZE", 50)
    # Province codes left out of the department tree: Taiwan, Hong Kong and
    # Macao are outside the Ministry's reporting, and 99 holds border and sea
    # areas that the division data lists but no department covers.
    EXCLUDED_PROVINCE_CODES = tuple(
        (_env("EXCLUDED_PROVINCE_CODES") or "71,81,82,99").split(",")
    )


class DevelopmentConfig(Config):
    """Local development on the embedded SQLite database."""

    SECRET_KEY = Config.SECRET_KEY or "dev-only-secret-change-me"
    # `flask mail sink` listens here and prints every message it receives.
    SMTP_PORT = _env_int("SMTP_PORT", 1025)


class TestingConfig(Config):
    """Pytest runs; the database URL comes from the test fixtures."""

    TESTING = True
    SECRET_KEY = "test-secret"


class ProductionConfig(Config):
    """Deployed service; refuses to start without a secret key."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name=None):
    """Return the settings class for ``name`` or ``FUDAO_ENV``."""
    name = name or _env("ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        choices = ", ".join(sorted(CONFIGS))
        raise ValueError(
            f"Unknown environment {name!r}; set FUDAO_ENV to one of {choices}."
        ) from None
