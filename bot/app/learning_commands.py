"""Staff commands of the learning loop: `gasme-bot unanswered`,
`gasme-bot knowledge teach|export-taught|taught|untaught`,
`gasme-bot staff add-user`. The rules live in bot/desk/learning.py; this module parses and prints."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from bot.desk import learning, staff_accounts
from bot.storage.database import make_engine, upgrade
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_files import KnowledgeError, load


def add_parsers(sub: Any, know_sub: Any, common: argparse.ArgumentParser) -> None:
    un = sub.add_parser("unanswered", parents=[common], help="questions the bot could not answer, grouped by meaning")
    un.add_argument("--days", type=int, default=7, help="how far back (default 7)")
    un.add_argument("--json", action="store_true", help="JSON list, largest group first")
    teach = know_sub.add_parser("teach", parents=[common], help="add a member's phrasing to an FAQ entry's questions")
    teach.add_argument("entry_id", metavar="ENTRY_ID")
    teach.add_argument("phrasing")
    teach.add_argument("--as", dest="staff", default="cli", help="who taught it")
    export = know_sub.add_parser("export-taught", parents=[common],
                                 help="write taught phrasings into DIR/faq.yaml (comments and order kept)")
    export.add_argument("dir", metavar="DIR")
    listed = know_sub.add_parser("taught", parents=[common],
                                 help="phrasings taught by staff and learned from members' choices")
    listed.add_argument("--json", action="store_true", help="JSON list, oldest first")
    undo = know_sub.add_parser("untaught", parents=[common],
                               help="remove a taught or learned phrasing from an FAQ entry")
    undo.add_argument("entry_id", metavar="ENTRY_ID")
    undo.add_argument("phrasing")
    staff = sub.add_parser("staff", parents=[common], help="staff dashboard accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add-user", parents=[common],
                               help="create an account (or set a new password); the password is read from the "
                                    "terminal, or from stdin when it is not one")
    add.add_argument("name", metavar="NAME")


@contextlib.contextmanager
def _db(args: argparse.Namespace, default_url: str) -> Iterator[Engine]:
    engine = make_engine(args.db or default_url)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()  # no pooled connection outlives the command


def _now(args: argparse.Namespace) -> datetime:
    now: datetime | None = args.now
    return now or datetime.now(UTC)


def _library(knowledge_dir: Path | None, db: Engine) -> Library | None:
    try:
        return Library.build(load(knowledge_dir), taught=learning.taught(db))
    except KnowledgeError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return None


def cmd_unanswered(args: argparse.Namespace, database_url: str, knowledge_dir: Path | None) -> int:
    with _db(args, database_url) as db:
        library = _library(knowledge_dir, db)
        if library is None:
            return 1
        groups = learning.unanswered_groups(db, library, _now(args) - timedelta(days=max(1, args.days)))
        if args.json:
            print(json.dumps([g.as_json() for g in groups], ensure_ascii=False, indent=2))
            return 0
        if not groups:
            print(f"No unanswered questions in the last {args.days} days.")
        for g in groups:
            closest = f"closest: {g.closest} ({g.score:.2f})" if g.closest else "closest: none"
            print(f"{g.count}× [{', '.join(g.languages)}] {closest}")
            for example in g.examples:
                print(f"    {example}")
        return 0


def cmd_teach(args: argparse.Namespace, database_url: str, knowledge_dir: Path | None) -> int:
    with _db(args, database_url) as db:
        library = _library(knowledge_dir, db)
        if library is None:
            return 1
        try:
            added = learning.teach(db, library, args.entry_id, args.phrasing, args.staff, _now(args))
        except learning.UnknownEntry:
            print(f"gasme-bot: no FAQ entry {args.entry_id!r} (see knowledge/faq.yaml)", file=sys.stderr)
            return 1
        except ValueError as exc:
            print(f"gasme-bot: {exc}", file=sys.stderr)
            return 1
        print(f"taught {args.entry_id}: {args.phrasing!r}" if added else f"{args.entry_id} already had that phrasing")
        return 0


def cmd_export_taught(args: argparse.Namespace, database_url: str) -> int:
    from bot.understanding.knowledge_writer import export_taught

    with _db(args, database_url) as db:
        path = Path(args.dir) / "faq.yaml"
        if not path.is_file():
            print(f"gasme-bot: {path} does not exist", file=sys.stderr)
            return 1
        added, unknown = export_taught(path, learning.taught(db))
        print(f"{added} phrasing(s) written to {path}")
        for entry_id in unknown:
            print(f"skipped: no entry {entry_id!r} in {path}", file=sys.stderr)
        return 0


def cmd_taught(args: argparse.Namespace, database_url: str) -> int:
    with _db(args, database_url) as db:
        rows = learning.taught_list(db)
    if args.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Nothing taught yet.")
    for r in rows:
        print(f"{r.created_at:%Y-%m-%d %H:%M}  {r.source:<7}  {r.entry}: {r.phrasing}")
    return 0


def cmd_untaught(args: argparse.Namespace, database_url: str) -> int:
    with _db(args, database_url) as db:
        if not learning.untaught(db, args.entry_id, args.phrasing):
            print(f"gasme-bot: {args.entry_id!r} has no taught phrasing {args.phrasing!r} "
                  "(see gasme-bot knowledge taught)", file=sys.stderr)
            return 1
    print(f"untaught {args.entry_id}: {args.phrasing!r}")
    return 0


def cmd_staff(args: argparse.Namespace, database_url: str) -> int:
    with _db(args, database_url) as db:
        if sys.stdin.isatty():
            password = getpass.getpass(f"Password for {args.name}: ")
            if getpass.getpass("Again: ") != password:
                print("gasme-bot: the passwords differ", file=sys.stderr)
                return 1
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        try:
            created = staff_accounts.add_user(db, args.name, password, _now(args))
        except staff_accounts.AccountError as exc:
            print(f"gasme-bot: {exc}", file=sys.stderr)
            return 1
        print(f"{'created' if created else 'new password for'} staff account {args.name.strip()}")
        return 0
