"""Measure served-entity look-ups with the national number of entities loaded.

Generates cooperatives and family farms spread over every county of the
division list into a PostgreSQL database that this script creates and
drops. It then times the look-ups the entity search page runs: by credit
code, by name within a county, and by name prefix nationally.
Each is reported as the median and 95th percentile of repeated calls and
as a ratio to a primary-key fetch measured in the same run.

    .venv/bin/python bench/entity_lookup.py [--cooperatives N] [--farms N]
"""

import argparse
import platform
import random
import statistics
import time

from sqlalchemy import create_engine, text

from web import create_app
from workflow.divisions import read_divisions
from workflow.entities import search_entities
from workflow.extensions import db
from workflow.models import DepartmentLevel, ServedEntity

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "fudao_bench_entities"
WORDS = (
    "茶叶",
    "柑橘",
    "蔬菜",
    "水稻",
    "生猪",
    "香菇",
    "中药材",
    "渔业",
    "蜂业",
    "农机",
)
REPEATS = 300


def _recreate_database():
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()


def _drop_database():
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        # A failed run can leave this script's own connection open.
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": DATABASE},
        )
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
    admin.dispose()


def _counties(excluded):
    return [
        division
        for division in read_divisions()
        if division.level is DepartmentLevel.COUNTY
        and division.code[:2] not in excluded
    ]


def _load(cooperatives, farms, counties):
    # Rows are generated inside PostgreSQL: entity i belongs to county
    # i mod (number of counties), so every county has about the same
    # number, and names start with the county's name as real ones do.
    codes = [c.code for c in counties]
    names = [c.name for c in counties]
    statement = text(
        """
        INSERT INTO served_entity (kind, name, credit_code, county_code, created_at)
        SELECT :kind,
               (CAST(:names AS text[]))[1 + i % :n]
                 || (CAST(:words AS text[]))[1 + (i / :n) % 10]
                 || (i / :n) || :suffix,
               CASE WHEN :coded THEN '93' || (CAST(:codes AS text[]))[1 + i % :n]
                 || lpad(i::text, 10, '0') END,
               (CAST(:codes AS text[]))[1 + i % :n],
               now()
        FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS i
        """
    )

    started = time.perf_counter()
    for kind, count, coded, suffix, offset in (
        ("COOPERATIVE", cooperatives, True, "专业合作社", 0),
        ("FAMILY_FARM", farms, False, "家庭农场", cooperatives),
    ):
        db.session.execute(
            statement,
            {
                "kind": kind,
                "names": names,
                "codes": codes,
                "words": list(WORDS),
                "n": len(codes),
                "coded": coded,
                "suffix": suffix,
                "first": offset,
                "last": offset + count - 1,
            },
        )
    db.session.commit()

    db.session.execute(text("ANALYZE served_entity"))
    db.session.commit()
    return time.perf_counter() - started


def _time(call, arguments):
    durations = []
    for argument in arguments:
        db.session.expunge_all()
        started = time.perf_counter()
        call(argument)
        durations.append((time.perf_counter() - started) * 1000)
    durations.sort()
    return statistics.median(durations), durations[int(len(durations) * 0.95)]


def _cases(cooperatives, counties, rng):
    n = len(counties)
    ids = [rng.randrange(1, cooperatives) for _ in range(REPEATS)]
    code_rows = [rng.randrange(0, cooperatives) for _ in range(REPEATS)]
    codes = [f"93{counties[i % n].code}{i:010d}" for i in code_rows]
    picks = [counties[rng.randrange(n)] for _ in range(REPEATS)]
    return {
        "primary key (baseline)": (lambda i: db.session.get(ServedEntity, i), ids),
        "credit code, exact": (search_entities, codes),
        "name part within a county": (
            lambda county: search_entities(rng.choice(WORDS), county.code),
            picks,
        ),
        "name prefix, national": (lambda county: search_entities(county.name), picks),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cooperatives", type=int, default=2_200_000)
    parser.add_argument("--farms", type=int, default=4_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    options = parser.parse_args()

    _recreate_database()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"{SERVER}/{DATABASE}")
    try:
        with app.app_context():
            db.create_all()
            counties = _counties(app.config["EXCLUDED_PROVINCE_CODES"])
            seconds = _load(options.cooperatives, options.farms, counties)
            print(
                f"machine: {platform.processor() or platform.machine()}, "
                f"{platform.system()} {platform.release()}"
            )
            print(
                f"loaded {options.cooperatives:,} cooperatives and "
                f"{options.farms:,} family farms in {len(counties)} counties "
                f"in {seconds:.0f} s"
            )
            rng = random.Random(2026)
            cases = _cases(options.cooperatives, counties, rng)
            baseline = None
            print(f"{'look-up':<28}{'median ms':>10}{'p95 ms':>9}{'× baseline':>12}")
            for label, (call, arguments) in cases.items():
                median, p95 = _time(call, arguments)
                baseline = baseline or median
                print(
                    f"{label:<28}{median:>10.2f}{p95:>9.2f}{median / baseline:>12.1f}"
                )
            db.session.remove()
            db.engine.dispose()
    finally:
        if not options.keep:
            _drop_database()


if __name__ == "__main__":
    main()
