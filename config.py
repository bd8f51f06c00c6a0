"""Settings for each environment, read from environment variables.

Every setting can be overridden with an environment variable of the same
name prefixed with ``FUDAO_``; for example ``FUDAO_DATABASE_URL``. The
default database is a SQLite file under the Flask instance folder, so the
product runs with nothing installed besides its Python packages.
"""

import os


def _env(name, default=None):
    return os.environ.get(f"FUDAO_{name}", default)


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

    QUEUE_PAGE_SIZE = _env_int("QUEUE_PAGE_SIZE", 50)

    # Spreadsheet import. The national registry holds about 30,000
    # counselors, so one department's file stays well under these limits.
    IMPORT_MAX_FILE_BYTES = _env_int("IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
    IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 50_000)
    # What an .xlsx package may unpack to; the bound on a zip bomb.
    IMPORT_MAX_UNPACKED_BYTES = _env_int("IMPORT_MAX_UNPACKED_BYTES", 256 * 1024 * 1024)
    # Leave room for the form fields around the file in the request body.
    MAX_CONTENT_LENGTH = IMPORT_MAX_FILE_BYTES + 64 * 1024
    # Province codes left out of the department tree: Taiwan, Hong Kong and
    # Macao are outside the Ministry's reporting, and 99 holds border and sea
    # areas that the division data lists but no department covers.
    EXCLUDED_PROVINCE_CODES = tuple(
        (_env("EXCLUDED_PROVINCE_CODES") or "71,81,82,99").split(",")
    )


class DevelopmentConfig(Config):
    """Local development on the embedded SQLite database."""

    SECRET_KEY = Config.SECRET_KEY or "dev-only-secret-change-me"


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
