"""Benchmark: import 30,000 registry rows end to end.

    .venv/bin/python bench/import_30k.py [--rows 30000] [--database URL]

Writes a workbook of ``--rows`` counselors in the import template (four
in five with an earlier appointment, the rest new nominations), then runs
three measurements, each in a fresh process so their peak memory is their
own:

* ``read``: python-calamine opens the file and walks every row, the
  baseline the import's speed is measured against;
* ``import``: the whole import as ``flask registry import --commit``
  runs it: read, normalise, validate, store the batch and write every
  record, audit event and batch link in one transaction;
* ``floor``: the rows that import wrote, stored again by the driver's
  fastest bulk path with no product code running (``write_floor``), the
  minimum time an import can spend writing them through these drivers.

Each phase runs ``--repeat`` times on a fresh database; the best wall
clock and CPU times and the highest peak resident memory are reported.
CPU time is the steadier figure on a machine shared with other work. On
PostgreSQL the CPU time of the server process that served the import is
read from /proc as well, since the database's own work is not in the
import process's CPU time.
Without ``--database`` a SQLite file in a temporary folder is used.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _app(database):
    from web import create_app

    return create_app("testing", SQLALCHEMY_DATABASE_URI=database)


def write_workbook(path, rows):
    """Write ``rows`` synthetic counselors of 远安县 to ``path``."""
    from workflow.demo import synthetic_id_number
    from workflow.registry_template import RegistryWorkbook

    with _app("sqlite://").app_context():
        workbook = RegistryWorkbook(expected_rows=rows)
        for index in range(rows):
            workbook.append(_row(index, synthetic_id_number))
        workbook.save(path)


def _row(index, synthetic_id_number):
    gender = "男" if index % 2 else "女"
    birth = date(1960, 1, 1) + timedelta(days=index % 12000)
    serial = (index // 12000) * 100 + index % 50
    values = {
        "name": f"辅导员{index:05d}"[:2] + "某" + "甲乙丙丁戊己庚辛壬癸"[index % 10],
        "gender": gender,
        "id_number": synthetic_id_number("420525", birth, serial, gender),
        "ethnicity": "汉族",
        "political_status": "群众",
        "education": "大学本科",
        "employer": f"远安县第{index % 300}合作社",
        "position": "理事长",
        "mobile": f"139{index:08d}",
        "source": "农技员",
        "work_areas": "组织建设、财务会计",
        "industries": "果茶",
        "working_mode": "兼职",
        "entry_mode": "聘任",
        "service_area_codes": "远安县（420525）",
        "served_cooperatives": index % 7,
        "served_family_farms": index % 5,
        "served_others": 0,
    }
    if index % 5:
        values.update(
            appointed_on=date(2023, 3, 31),
            term_starts_on=date(2023, 3, 31),
            term_ends_on=date(2026, 3, 30),
            certificate_number=f"420525-2023-{index:05d}",
        )
    return values


def phase_read(path):
    """Walk every row of ``path`` with python-calamine only."""
    from python_calamine import CalamineWorkbook

    started, cpu = time.perf_counter(), time.process_time()
    workbook = CalamineWorkbook.from_path(str(path))
    rows = sum(1 for _ in workbook.get_sheet_by_index(0).iter_rows())
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "rows": rows,
    }


def phase_import(path, database):
    """Upload and commit ``path`` as the administrator of 远安县."""
    from workflow.extensions import db
    from workflow.registry_import import batches

    with _app(database).app_context():
        admin = _fresh_registry()
        content = Path(path).read_bytes()
        server = _server_process(db.session)

        started, cpu = time.perf_counter(), time.process_time()
        server_cpu = _process_cpu(server)
        batch = batches.upload(admin, Path(path).name, content, commit=True)
        result = {
            "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu,
            "server_cpu_seconds": _process_cpu(server) - server_cpu,
            "rows": batch.row_count,
            "committed": batch.appointed_count + batch.nomination_count,
            "problems": batch.problem_count,
        }
        _drop_tables()
    return result


def phase_floor(path, database):
    """Import ``path`` untimed, then time storing its rows again in bulk."""
    from write_floor import measure_floor, row_counts

    from workflow.extensions import db
    from workflow.registry_import import batches

    with _app(database).app_context():
        admin = _fresh_registry()
        before = row_counts(db.session, db.metadata)
        batches.upload(admin, Path(path).name, Path(path).read_bytes(), commit=True)
        server = _server_process(db.session)
        result = measure_floor(
            db.session, db.metadata, before, lambda: _process_cpu(server)
        )
        _drop_tables()
    return result


def _fresh_registry():
    from workflow.divisions import load_department_tree
    from workflow.extensions import db
    from workflow.models import Department, Role, User

    db.drop_all()
    db.create_all()
    load_department_tree(only_province="42")
    admin = User(
        username="bench",
        display_name="bench",
        department=db.session.query(Department).filter_by(code="420525").one(),
    )
    admin.set_password("bench")
    admin.set_roles([Role.REGISTRY_ADMIN])
    db.session.add(admin)
    db.session.commit()
    return admin


def _drop_tables():
    from workflow.extensions import db

    # Close the session's transaction before dropping the tables, or
    # PostgreSQL waits on its locks.
    db.session.remove()
    db.drop_all()


def _server_process(session):
    # The PostgreSQL backend serving this session runs on the same machine;
    # its CPU time is work the import causes that process_time() misses.
    # The session keeps this connection until the import commits.
    if session.get_bind().dialect.name != "postgresql":
        return None
    from sqlalchemy import text

    return session.scalar(text("SELECT pg_backend_pid()"))


def _process_cpu(pid):
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime, fields 14 and 15 of proc(5), in clock ticks.
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _child(args):
    if args.phase == "read":
        result = phase_read(args.file)
    else:
        phase = phase_import if args.phase == "import" else phase_floor
        result = phase(args.file, args.database)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def _run(phase, path, database):
    command = [sys.executable, __file__, "--phase", phase, "--file", str(path)]
    if database:
        command += ["--database", database]
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", help="SQLAlchemy URL; default SQLite file")
    parser.add_argument(
        "--phase", choices=("read", "import", "floor"), help=argparse.SUPPRESS
    )
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return _child(args)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"registry-{args.rows}.xlsx"
        write_workbook(path, args.rows)
        database = args.database or f"sqlite:///{folder}/bench.db"
        reads = [_run("read", path, None) for _ in range(args.repeat)]
        imports = [_run("import", path, database) for _ in range(args.repeat)]
        floors = [_run("floor", path, database) for _ in range(args.repeat)]
        size = path.stat().st_size

    read = min(r["seconds"] for r in reads)
    read_cpu = min(r["cpu_seconds"] for r in reads)
    best = min(imports, key=lambda r: r["seconds"])
    print(f"file: {args.rows} rows, {size / 1e6:.1f} MB .xlsx; database: "
          f"{(args.database or 'sqlite').split(':')[0]}")  # fmt: skip
    read_peak = max(r["peak_mib"] for r in reads)
    print(
        f"calamine read only: {read:.2f} s (CPU {read_cpu:.2f} s), "
        f"peak {read_peak:.0f} MiB"
    )
    print(
        f"import end to end:  {best['seconds']:.2f} s "
        f"(CPU {best['cpu_seconds']:.2f} s), "
        f"peak {max(r['peak_mib'] for r in imports):.0f} MiB, "
        f"{best['rows']} rows, {best['committed']} records created, "
        f"{best['problems']} problems"
    )
    print(
        f"ratio to calamine read: {best['seconds'] / read:.1f}x wall clock, "
        f"{best['cpu_seconds'] / read_cpu:.1f}x CPU"
    )
    if best["server_cpu_seconds"]:
        both = best["cpu_seconds"] + best["server_cpu_seconds"]
        print(
            f"PostgreSQL backend CPU: {best['server_cpu_seconds']:.2f} s; "
            f"import and backend CPU together: {both:.2f} s, "
            f"{both / read_cpu:.1f}x the read's CPU"
        )
    _print_floor(floors, read, read_cpu, best)


def _print_floor(floors, read, read_cpu, best):
    floor = min(floors, key=lambda r: r["seconds"])
    # On PostgreSQL the writing is the server's work. Elsewhere it is done
    # inside this process.
    cpu = min(r["cpu_seconds"] + r["server_cpu_seconds"] for r in floors)
    print(
        f"write floor: {floor['seconds']:.2f} s (CPU {cpu:.2f} s, database and "
        f"driver) for {floor['rows']} rows, {floor['seconds'] / read:.1f}x "
        f"wall clock and {cpu / read_cpu:.1f}x CPU of the read"
    )
    print(
        f"read plus write floor: {(read + floor['seconds']) / read:.1f}x wall "
        f"clock, {(read_cpu + cpu) / read_cpu:.1f}x CPU of the read"
    )
    import_cpu = best["cpu_seconds"] + best["server_cpu_seconds"]
    print(
        f"import to read plus write floor: "
        f"{best['seconds'] / (read + floor['seconds']):.1f}x wall clock, "
        f"{import_cpu / (read_cpu + cpu):.1f}x CPU"
    )
    slowest = sorted(floor["table_cpu_seconds"].items(), key=lambda item: -item[1])
    print(
        "write floor CPU by table: "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in slowest[:6])
    )


if __name__ == "__main__":
    main()
