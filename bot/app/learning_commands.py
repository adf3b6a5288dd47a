"""Staff commands of the learning loop: `gasme-bot unanswered`, `gasme-bot knowledge teach|export-taught`,
`gasme-bot staff add-user`. The rules live in bot/desk/learning.py; this module parses and prints."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import timedelta
from pathlib import Path

from bot.app.command import Context, Subcommands
from bot.desk import learning, staff_accounts
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_files import KnowledgeError


def add_parsers(sub: Subcommands, know_sub: Subcommands) -> None:
    un = sub.add_parser("unanswered", help="questions the bot could not answer, grouped by meaning")
    un.add_argument("--days", type=int, default=7, help="how far back (default 7)")
    un.add_argument("--json", action="store_true", help="JSON list, largest group first")
    un.set_defaults(func=cmd_unanswered)
    teach = know_sub.add_parser("teach", help="add a member's phrasing to an FAQ entry's questions")
    teach.add_argument("entry_id", metavar="ENTRY_ID")
    teach.add_argument("phrasing")
    teach.add_argument("--as", dest="staff", default="cli", help="who taught it")
    teach.set_defaults(func=cmd_teach)
    export = know_sub.add_parser("export-taught", help="write taught phrasings into DIR/faq.yaml (comments and "
                                                       "order kept)")
    export.add_argument("dir", metavar="DIR")
    export.set_defaults(func=cmd_export_taught)
    staff = sub.add_parser("staff", help="staff dashboard accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add-user", help="create an account (or set a new password); the password is read "
                                                "from the terminal, or from stdin when it is not one")
    add.add_argument("name", metavar="NAME")
    add.set_defaults(func=cmd_staff_add_user)


def _library(ctx: Context) -> Library | None:
    """The knowledge with what staff taught, or None (the problems printed) while the files are broken."""
    ctx.db()  # the database first, as every command of the learning loop needs it
    try:
        return ctx.library(ctx.knowledge())
    except KnowledgeError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        return None


def cmd_unanswered(ctx: Context) -> int:
    args = ctx.args
    library = _library(ctx)
    if library is None:
        return 1
    groups = learning.unanswered_groups(ctx.db(), library, ctx.clock() - timedelta(days=max(1, args.days)))
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


def cmd_teach(ctx: Context) -> int:
    args = ctx.args
    library = _library(ctx)
    if library is None:
        return 1
    try:
        added = learning.teach(ctx.db(), library, args.entry_id, args.phrasing, args.staff, ctx.clock())
    except learning.UnknownEntry:
        print(f"gasme-bot: no FAQ entry {args.entry_id!r} (see knowledge/faq.yaml)", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"gasme-bot: {exc}", file=sys.stderr)
        return 1
    print(f"taught {args.entry_id}: {args.phrasing!r}" if added else f"{args.entry_id} already had that phrasing")
    return 0


def cmd_export_taught(ctx: Context) -> int:
    from bot.understanding.knowledge_writer import export_taught

    db = ctx.db()
    path = Path(ctx.args.dir) / "faq.yaml"
    if not path.is_file():
        print(f"gasme-bot: {path} does not exist", file=sys.stderr)
        return 1
    added, unknown = export_taught(path, learning.taught(db))
    print(f"{added} phrasing(s) written to {path}")
    for entry_id in unknown:
        print(f"skipped: no entry {entry_id!r} in {path}", file=sys.stderr)
    return 0


def cmd_staff_add_user(ctx: Context) -> int:
    name = ctx.args.name
    db = ctx.db()
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Again: ") != password:
            print("gasme-bot: the passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        created = staff_accounts.add_user(db, name, password, ctx.clock())
    except staff_accounts.AccountError as exc:
        print(f"gasme-bot: {exc}", file=sys.stderr)
        return 1
    print(f"{'created' if created else 'new password for'} staff account {name.strip()}")
    return 0
