"""Registrations per second: one process and four, on SQLite and on PostgreSQL.

Each registration is one transaction through bot.desk.registrations.register (lock the event's seat row, check member
and email, count seats, insert), for distinct members of one event with 500 seats, so the later ones are
waitlisted. Baseline in the same run: a bare INSERT of the same row in its own transaction (what any registration
costs at the least), reported as the ratio rules/baseline.
On PostgreSQL a registration is one call of the server-side function gasme_register(); the reference there is
pgbench, in the same run, doing what that function must do at the least: lock one row, update it, insert one row,
in one transaction, with as many clients as we have processes ("pgbench lock+update+insert").
The registrations are made under the default caps (3 per member and event, 5 an hour), as a deployment makes them;
each run then checks that no more seats were confirmed than the event has, and stops if one was.
Run: python bench/registration.py [--per-process 300] [--pg URL]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.desk import registrations as regs
from bot.storage.database import make_engine, scratch_schema, sessions, upgrade
from bot.storage.models import EventSeats, Registration
from bot.understanding.knowledge_files import Event, Text

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
EVENT = Event("bench-expo-2027", Text("Bench Expo 2027"), datetime(2027, 5, 1, 9, 0, tzinfo=ZoneInfo("UTC")), "UTC",
              capacity=500)


def _worker(url: str, mode: str, proc: int, count: int, barrier: mp.synchronize.Barrier,
            results: mp.Queue) -> None:  # type: ignore[type-arg]
    engine = make_engine(url)
    make = sessions(engine)
    barrier.wait()
    t0 = time.perf_counter()
    for k in range(count):
        user = f"p{proc}-u{k}-{uuid.uuid4().hex[:6]}"
        with make.begin() as s:
            if mode == "rules":
                regs.register(s, EVENT, "bench", user, regs.Details("Name", "Company", f"{user}@example.com"), "en",
                              NOW)
            else:
                s.add(Registration(event_id=EVENT.id, channel="bench", user_id=user, name="Name", company="Company",
                                   email=f"{user}@example.com", email_key=f"{user}@example.com", lang="en",
                                   status="confirmed", created_at=NOW, updated_at=NOW))
    results.put(time.perf_counter() - t0)
    engine.dispose()


def _fresh(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM registrations"))
        conn.execute(text("DELETE FROM event_seats"))
    with sessions(engine).begin() as s:
        s.add(EventSeats(event_id=EVENT.id, capacity=EVENT.capacity, updated_at=NOW))
    engine.dispose()


def run(url: str, mode: str, processes: int, per_process: int) -> float:
    _fresh(url)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(processes)
    results: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    workers = [ctx.Process(target=_worker, args=(url, mode, i, per_process, barrier, results))
               for i in range(processes)]
    for w in workers:
        w.start()
    times = [results.get(timeout=600) for _ in workers]
    for w in workers:
        w.join()
    if mode == "rules":
        _check_seats(url)
    return float(processes * per_process / max(times))


def _check_seats(url: str) -> None:
    """Speed is worth nothing if a seat was given twice: no more confirmed than the capacity, ever."""
    engine = make_engine(url)
    with engine.connect() as conn:
        confirmed = conn.execute(text("SELECT count(*) FROM registrations WHERE status = 'confirmed'")).scalar_one()
    engine.dispose()
    if EVENT.capacity is not None and confirmed > EVENT.capacity:
        raise SystemExit(f"overbooked: {confirmed} confirmed for {EVENT.capacity} seats")


PGBENCH_SCRIPT = """BEGIN;
SELECT n FROM bench_seat WHERE id = 1 FOR UPDATE;
UPDATE bench_seat SET n = n + 1 WHERE id = 1;
INSERT INTO bench_row (seat_id, created_at) VALUES (1, now());
END;
"""


def pgbench_tps(url: str, clients: int, seconds: int = 5) -> float | None:
    """Transactions per second of lock + update + insert on one row, from pgbench (None where it is missing)."""
    if shutil.which("pgbench") is None:
        return None
    u = make_url(url)
    schema = dict(u.query).get("options", "")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS bench_row; DROP TABLE IF EXISTS bench_seat"))
        conn.execute(text("CREATE TABLE bench_seat (id int PRIMARY KEY, n int NOT NULL)"))
        conn.execute(text("CREATE TABLE bench_row (id serial PRIMARY KEY, seat_id int, created_at timestamptz)"))
        conn.execute(text("INSERT INTO bench_seat VALUES (1, 0)"))
    engine.dispose()
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(PGBENCH_SCRIPT)
    env = {**os.environ, "PGOPTIONS": str(schema).replace("%3D", "=")}
    out = subprocess.run(["pgbench", "-n", "-f", f.name, "-c", str(clients), "-j", str(clients), "-T", str(seconds),
                          "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres",
                          u.database or "postgres"], env=env, capture_output=True, text=True, check=True).stdout
    found = re.search(r"tps = ([0-9.]+)", out)
    return float(found.group(1)) if found else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-process", type=int, default=300)
    ap.add_argument("--pg", default=os.environ.get("GASME_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    args = ap.parse_args()
    print(f"registrations per second ({args.per_process} per process; {os.cpu_count()} cores)")
    print(f"{'database':<11} {'processes':>9} {'rules':>9} {'bare insert':>12} {'rules/bare':>11}")
    targets = {"SQLite": f"sqlite:///{tempfile.mkdtemp()}/bench.db", "PostgreSQL": args.pg}
    for name, target in targets.items():
        with scratch_schema(target, "gasme_bench") as url:
            for processes in (1, 4):
                rules = run(url, "rules", processes, args.per_process)
                bare = run(url, "bare", processes, args.per_process)
                line = f"{name:<11} {processes:>9} {rules:>9.0f} {bare:>12.0f} {rules / bare:>10.2f}x"
                tps = pgbench_tps(url, processes) if name == "PostgreSQL" else None
                if tps:
                    line += f"   pgbench lock+update+insert {tps:7.0f}/s, ours/pgbench {rules / tps:.2f}"
                print(line, flush=True)


if __name__ == "__main__":
    main()
