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


def _env_pairs(name, default):
    """Read ``key:number,key:number`` into a tuple of (key, int) pairs."""
    raw = _env(name)
    if raw is None:
        return default
    pairs = []
    for item in raw.split(","):
        key, _, number = item.partition(":")
        try:
            pairs.append((key.strip(), int(number)))
        except ValueError:
            raise ValueError(
                f"FUDAO_{name} must read like 'name:90,name:70', got {raw!r}; "
                "unset it to use the default."
            ) from None
    return tuple(pairs)


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


def _env_numbers(name, defaults):
    """Return ``defaults`` updated with ``FUDAO_<name>``, read as ``key=N,...``."""
    numbers = dict(defaults)
    raw = _env(name)
    if not raw:
        return numbers
    for item in raw.split(","):
        key, separator, value = item.strip().partition("=")
        if not key.strip() or not separator or not value.strip().isdigit():
            raise ValueError(
                f"FUDAO_{name} must read like 'province=1000,420000=1200', "
                f"got the item {item!r}."
            )
        numbers[key.strip()] = int(value)
    return numbers


def _env_weights(name, default):
    raw = _env(name) or default
    try:
        pairs = [part.split(":") for part in raw.split(",")]
        weights = {key.strip(): int(value) for key, value in pairs}
    except ValueError:
        raise ValueError(
            f"FUDAO_{name} must read like {default!r}, got {raw!r}."
        ) from None
    if set(weights) != {"service_quality", "management", "satisfaction"}:
        raise ValueError(
            f"FUDAO_{name} must weigh service_quality, management and "
            f"satisfaction, got {sorted(weights)}."
        )
    if min(weights.values()) < 0 or sum(weights.values()) <= 0:
        raise ValueError(f"FUDAO_{name} needs non-negative weights, got {raw!r}.")
    return weights


def _env_bool(name, default):
    raw = _env(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(
        f"FUDAO_{name} must be true or false, got {raw!r}; "
        f"unset it to use the default {default}."
    )


def _env_list(name, default):
    raw = _env(name)
    return tuple(item.strip() for item in (raw or default).split(",") if item.strip())


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
    # Reminders to a service center ordered to rectify, in days before its
    # rectification deadline.
    RECTIFICATION_REMINDER_DAYS = _env_days("RECTIFICATION_REMINDER_DAYS", (7, 1))
    # Reminders to a department whose evaluation round still has counselors
    # not evaluated, in days before the round's deadline.
    EVALUATION_REMINDER_DAYS = _env_days("EVALUATION_REMINDER_DAYS", (7, 1))

    # Outgoing mail of the outbox. Links in emails start with PUBLIC_BASE_URL
    # (set below), or with the address `make run` serves while it is unset.
    SMTP_HOST = _env("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_USERNAME = _env("SMTP_USERNAME")
    SMTP_PASSWORD = _env("SMTP_PASSWORD")
    SMTP_STARTTLS = _env_bool("SMTP_STARTTLS", False)
    # Seconds to wait for each reply of the mail server.
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
    # How long the dedicated sender (`flask outbox run`) waits after a round
    # that found nothing due.
    OUTBOX_POLL_SECONDS = _env_int("OUTBOX_POLL_SECONDS", 10)

    # The scheduler process: when the daily reminder sweep and the daily
    # term-ending check run (Beijing time), how often the outbox is sent,
    # and how long its lease lasts.
    SCHEDULER_SWEEP_AT = _env("SCHEDULER_SWEEP_AT", "08:30")
    SCHEDULER_TERM_ENDINGS_AT = _env("SCHEDULER_TERM_ENDINGS_AT", "08:00")
    SCHEDULER_SEND_EVERY_SECONDS = _env_int("SCHEDULER_SEND_EVERY_SECONDS", 60)
    SCHEDULER_LEASE_SECONDS = _env_int("SCHEDULER_LEASE_SECONDS", 90)
    # Service-center entry checks, applied when an application is submitted
    # and again when it is filed. 0 turns a year check off.
    CENTER_REQUIRE_CREDIT_CODE = _env("CENTER_REQUIRE_CREDIT_CODE", "1") != "0"
    CENTER_MIN_OPERATING_YEARS = _env_int("CENTER_MIN_OPERATING_YEARS", 2)
    CENTER_VIOLATION_FREE_YEARS = _env_int("CENTER_VIOLATION_FREE_YEARS", 2)
    CENTER_REQUIRED_ATTACHMENTS = tuple(
        (
            _env("CENTER_REQUIRED_ATTACHMENTS")
            or "registration_certificate,premises_proof"
        ).split(",")
    )
    # Yearly supervision: relative weights of the three scores (each 0-100),
    # the weighted score a center needs to be kept, and the rectification
    # period offered by default, in calendar days.
    CENTER_EVALUATION_WEIGHTS = _env_weights(
        "CENTER_EVALUATION_WEIGHTS",
        "service_quality:40,management:30,satisfaction:30",
    )
    CENTER_EVALUATION_PASS_SCORE = _env_int("CENTER_EVALUATION_PASS_SCORE", 60)
    CENTER_RECTIFICATION_DAYS = _env_int("CENTER_RECTIFICATION_DAYS", 30)

    # Uploaded files live here, outside the static folder; None means
    # "attachments" in the instance folder.
    ATTACHMENT_FOLDER = _env("ATTACHMENT_FOLDER")
    ATTACHMENT_MAX_BYTES = _env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    # Werkzeug refuses larger request bodies before reading them; the margin
    # leaves room for the other form fields.
    MAX_CONTENT_LENGTH = (
        max(ATTACHMENT_MAX_BYTES, _env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
        + 1024 * 1024
    )

    # Email. Without MAIL_SERVER, messages are written as .eml files to the
    # "outbox" folder of the instance folder instead of being sent.
    MAIL_SERVER = _env("MAIL_SERVER")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_STARTTLS = _env("MAIL_USE_STARTTLS", "0") == "1"
    MAIL_USERNAME = _env("MAIL_USERNAME")
    MAIL_PASSWORD = _env("MAIL_PASSWORD")
    MAIL_SENDER = _env("MAIL_SENDER", "fudao@localhost")
    MAIL_TIMEOUT_SECONDS = _env_int("MAIL_TIMEOUT_SECONDS", 10)
    # How long the link in an applicant's confirmation email stays valid.
    APPLICANT_CONFIRMATION_HOURS = _env_int("APPLICANT_CONFIRMATION_HOURS", 48)
    # Counselors whose term ends within this many days move to "term ending"
    # when the daily job runs, so the department can decide on renewal.
    TERM_ENDING_NOTICE_DAYS = _env_int("TERM_ENDING_NOTICE_DAYS", 90)
    # A struck-off ID number cannot be nominated again for this many years.
    STRIKE_OFF_COOLING_OFF_YEARS = _env_int("STRIKE_OFF_COOLING_OFF_YEARS", 2)
    # A service record entered within this many days of the service counts
    # as reported on time in the evaluation.
    TIMELY_REPORTING_DAYS = _env_int("TIMELY_REPORTING_DAYS", 30)
    # Weights of the evaluation indicators; they need not add up to 100
    # because the total is normalised by their sum.
    EVALUATION_WEIGHTS = _env_pairs(
        "EVALUATION_WEIGHTS",
        (
            ("entities_served", 25),
            ("service_records", 20),
            ("quality_improvement", 20),
            ("satisfaction", 15),
            ("training_hours", 10),
            ("timely_reporting", 10),
        ),
    )
    # Grades with the lowest total (out of 100) that earns each, best first.
    # The last grade is the failing one that blocks renewal.
    EVALUATION_GRADES = _env_pairs(
        "EVALUATION_GRADES",
        (("优秀", 90), ("合格", 70), ("基本合格", 60), ("不合格", 0)),
    )
    # Evidence files of a strike-off are kept in the database, up to this
    # many bytes each.
    EVIDENCE_MAX_BYTES = _env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)

    QUEUE_PAGE_SIZE = _env_int("QUEUE_PAGE_SIZE", 50)

    # Spreadsheet import. The national registry contains about 30,000
    # counselors, so one department's file stays well under these limits.
    IMPORT_MAX_FILE_BYTES = _env_int("IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
    IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 50_000)
    # What an .xlsx package may unpack to; the bound on a zip bomb.
    IMPORT_MAX_UNPACKED_BYTES = _env_int("IMPORT_MAX_UNPACKED_BYTES", 256 * 1024 * 1024)
    # The request body limit must also admit the largest spreadsheet, with
    # room for the form fields around it.
    MAX_CONTENT_LENGTH = max(MAX_CONTENT_LENGTH, IMPORT_MAX_FILE_BYTES + 64 * 1024)

    # Programme targets for the end of 2025: about 30,000 counselors
    # nationally, and on average about 1,000 per province serving about
    # 10,000 cooperatives and family farms. Keys are a level (ministry,
    # province, prefecture, county) or a department's six-digit code, which
    # wins over its level; 0 means "no target".
    COUNSELOR_TARGETS = _env_numbers(
        "COUNSELOR_TARGETS", {"ministry": 30_000, "province": 1_000}
    )
    # The national figure keeps the per-province ratio of ten served
    # entities per counselor (30,000 x 10); no source states it directly.
    SERVED_ENTITY_TARGETS = _env_numbers(
        "SERVED_ENTITY_TARGETS", {"ministry": 300_000, "province": 10_000}
    )
    SERVICE_CENTER_TARGETS = _env_numbers("SERVICE_CENTER_TARGETS", {})

    # Provinces (six-digit codes such as 420000) that require at least one
    # full-time counselor per township; their dashboards list the townships
    # without one. Off everywhere unless listed.
    TOWNSHIP_COUNSELOR_PROVINCES = _env_list("TOWNSHIP_COUNSELOR_PROVINCES", "")

    # Working days a record may wait in a state before the queue health
    # counts it as past due, keyed "<workflow>.<state>". No rule sets these
    # service levels; they are product defaults for each province to adjust.
    # The public notice is counted from the day the notice ends, and a
    # center ordered to rectify is due on its rectification deadline.
    QUEUE_DUE_WORKING_DAYS = _env_numbers(
        "QUEUE_DUE_WORKING_DAYS",
        {
            "counselor.nominated": 5,
            "counselor.under_review": 20,
            "counselor.returned": 20,
            "counselor.public_notice": 5,
            "service_center.submitted": 5,
            "service_center.under_review": 20,
            "service_center.returned": 20,
            "service_center.rectification_submitted": 10,
        },
    )
    QUEUE_HEALTH_WEEKS = _env_int("QUEUE_HEALTH_WEEKS", 12)

    # Address printed in the QR code of certificates and at the start of the
    # links in emails, such as https://fudao.example.gov.cn; empty means the
    # address of the request for certificates.
    PUBLIC_BASE_URL = _env("PUBLIC_BASE_URL")
    # A batch of 200 certificates takes about 10 s to render, well under
    # gunicorn's default 30 s worker timeout; see docs/benchmarks.md.
    CERTIFICATE_BATCH_LIMIT = _env_int("CERTIFICATE_BATCH_LIMIT", 200)
    # The public verification page counts requests per client address.
    # Use a shared store such as redis://127.0.0.1:6379 when several
    # worker processes serve the app, or each keeps its own count.
    VERIFICATION_RATE_LIMIT = _env("VERIFICATION_RATE_LIMIT", "30 per minute")
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    # Requests per API token (or, without a token, per client address).
    API_RATE_LIMIT = _env("API_RATE_LIMIT", "120 per minute")
    # Largest JSON body the API reads; a bulk upsert of 1,000 rows fits.
    API_MAX_BODY_BYTES = _env_int("API_MAX_BODY_BYTES", 4 * 1024 * 1024)
    # Province codes left out of the department tree: Taiwan, Hong Kong and
    # Macao are outside the Ministry's reporting, and 99 contains border and sea
    # areas that the division data lists but no department covers.
    EXCLUDED_PROVINCE_CODES = tuple(
        (_env("EXCLUDED_PROVINCE_CODES") or "71,81,82,99").split(",")
    )

    # Passwords set through the product; docs/security.md maps each rule
    # to the requirement it serves.
    PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 10)
    # Of the four classes: upper case, lower case, digits, other characters.
    PASSWORD_MIN_CLASSES = _env_int("PASSWORD_MIN_CLASSES", 3)
    PASSWORD_HISTORY = _env_int("PASSWORD_HISTORY", 5)
    ONE_TIME_PASSWORD_HOURS = _env_int("ONE_TIME_PASSWORD_HOURS", 72)

    # Failed sign-ins: an account is locked after SIGN_IN_MAX_FAILURES in a
    # row, for SIGN_IN_LOCK_MINUTES doubled at each further failure (at most
    # one day); an address is refused after SIGN_IN_ADDRESS_MAX_FAILURES
    # failures within SIGN_IN_ADDRESS_WINDOW_MINUTES. The address limit is
    # high because a whole department office may share one address.
    SIGN_IN_MAX_FAILURES = _env_int("SIGN_IN_MAX_FAILURES", 5)
    SIGN_IN_LOCK_MINUTES = _env_int("SIGN_IN_LOCK_MINUTES", 15)
    SIGN_IN_ADDRESS_MAX_FAILURES = _env_int("SIGN_IN_ADDRESS_MAX_FAILURES", 30)
    SIGN_IN_ADDRESS_WINDOW_MINUTES = _env_int("SIGN_IN_ADDRESS_WINDOW_MINUTES", 15)

    # A session without "remember me" ends after this many idle minutes; the
    # page warns SESSION_WARNING_SECONDS before. "Remember me" keeps a
    # session for REMEMBER_DAYS across browser restarts; 0 turns it off.
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_WARNING_SECONDS = _env_int("SESSION_WARNING_SECONDS", 120)
    REMEMBER_DAYS = _env_int("REMEMBER_DAYS", 7)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Log lines as readable text (development) or one JSON object per line
    # (production, for journald and log collectors); see web/request_logging.py.
    LOG_FORMAT = _env("LOG_FORMAT", "text")
    LOG_LEVEL = _env("LOG_LEVEL", "INFO").upper()
    # Benchmarks only: registers /bench/queue.json, which runs the queue
    # page's queries and returns JSON (see bench/queue_load.py). Never turn
    # it on in production.
    BENCH_ROUTES = _env_bool("BENCH_ROUTES", False)
    # Number of reverse proxies in front of the app whose X-Forwarded-For
    # and X-Forwarded-Proto headers are trusted; 0 trusts none.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # Roles that see full ID numbers and mobiles (each view is logged);
    # everyone else sees them masked, in pages and exports alike.
    FULL_PERSONAL_DATA_ROLES = _env_list(
        "FULL_PERSONAL_DATA_ROLES", "registry_admin,reviewer,leader"
    )

    # Separation of duties, enforced by the workflow engine's guards.
    FORBID_SELF_APPROVAL = _env_bool("FORBID_SELF_APPROVAL", True)
    SIGN_OFF_BY_OTHER_THAN_REVIEWER = _env_bool(
        "SIGN_OFF_BY_OTHER_THAN_REVIEWER", False
    )


class DevelopmentConfig(Config):
    """Local development on the embedded SQLite database."""

    SECRET_KEY = Config.SECRET_KEY or "dev-only-secret-change-me"
    # `flask mail sink` listens here and prints every message it receives.
    SMTP_PORT = _env_int("SMTP_PORT", 1025)
    # The demo's sample townships lie in 湖北省, which applies the rule.
    TOWNSHIP_COUNSELOR_PROVINCES = _env_list("TOWNSHIP_COUNSELOR_PROVINCES", "420000")


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
