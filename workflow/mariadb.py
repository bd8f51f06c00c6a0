"""What the product needs from a MariaDB (or MySQL) database.

Names contain CJK extension-B characters, which take four bytes in UTF-8,
so the character set is ``utf8mb4``. Usernames, ID numbers (whose check
character ``X`` must stay upper case) and credit codes are matched exactly,
as on PostgreSQL and SQLite, so the collation is binary. The ``nopad``
binary collation also counts trailing spaces, which ``utf8mb4_bin`` ignores
in comparisons.
"""

import logging

from sqlalchemy import DateTime, LargeBinary, Text, event
from sqlalchemy.dialects import mysql

logger = logging.getLogger(__name__)

# SQLAlchemy names the dialect "mysql" for mysql+pymysql:// URLs, MariaDB
# servers included, and "mariadb" for mariadb+pymysql:// URLs.
DIALECT_NAMES = ("mysql", "mariadb")
CHARSET = "utf8mb4"
COLLATION = "utf8mb4_nopad_bin"
# MySQL 8 has no utf8mb4_nopad_bin; its binary NO PAD collation is this one.
# NOTE: the tests run on MariaDB only, so MySQL 8 is untested.
MYSQL_COLLATION = "utf8mb4_0900_bin"
# DateTime with microseconds on MariaDB and MySQL, where DATETIME alone keeps
# whole seconds; other databases keep microseconds anyway.
DATETIME_MICROSECONDS = DateTime().with_variant(mysql.DATETIME(fsp=6), *DIALECT_NAMES)
# Files and reports of any size the upload limit allows. MariaDB's BLOB and
# TEXT stop at 64 KiB, its LONGBLOB and LONGTEXT at 4 GiB.
LONG_BINARY = LargeBinary().with_variant(mysql.LONGBLOB(), *DIALECT_NAMES)
LONG_TEXT = Text().with_variant(mysql.LONGTEXT(), *DIALECT_NAMES)


def is_mariadb(dialect_name):
    """Return whether a dialect name is MariaDB's or MySQL's."""
    return dialect_name in DIALECT_NAMES


def engine_options(options):
    """Return SQLAlchemy engine ``options`` with MariaDB's isolation level added.

    InnoDB defaults to REPEATABLE READ, where a transaction keeps reading
    the snapshot of its first query. The product is written for READ
    COMMITTED, PostgreSQL's default, where each statement reads what other
    transactions committed before it. An ``isolation_level`` already in
    ``options`` wins.
    """
    return {"isolation_level": "READ COMMITTED", **options}


class WrongCollation(RuntimeError):
    """The database was created with a character set or collation that loses data."""


def watch_database_collation(engine):
    """Check the database's default collation when ``engine`` first connects."""
    event.listen(engine, "first_connect", _check_collation)


def _check_collation(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("SELECT DATABASE(), @@character_set_database, @@collation_database")
    database, charset, collation = cursor.fetchone()
    cursor.close()
    if charset != CHARSET or collation not in (COLLATION, MYSQL_COLLATION):
        raise WrongCollation(
            f"Database {database!r} uses character set {charset!r} and collation "
            f"{collation!r}; the product needs {CHARSET!r} and {COLLATION!r} "
            f"so that four-byte names fit and usernames, ID numbers and credit "
            f"codes compare exactly. Create it with CREATE DATABASE {database} "
            f"CHARACTER SET {CHARSET} COLLATE {COLLATION}, or run ALTER "
            f"DATABASE {database} CHARACTER SET {CHARSET} COLLATE {COLLATION} "
            f"before any table exists."
        )
    logger.info("MariaDB database %s uses %s / %s", database, charset, collation)
