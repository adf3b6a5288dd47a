"""Staff commands of the learning loop: `gasme-bot unanswered`,
`gasme-bot knowledge teach|export-taught|taught|untaught`, `gasme-bot staff add-user|set-password`. The rules live
in bot/desk/learning.py; this module parses and prints."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import timedelta
from pathlib import Path

from bot.app.command import Context, Subcommands
from bot.desk import learning, staff_accounts
from bot.understanding.knowledge_base import Library
from bot.understanding.knowledge_files import KnowledgeError, default_dir


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
    listed = know_sub.add_parser("taught", help="phrasings taught by staff and learned from members' choices")
    listed.add_argument("--json", action="store_true", help="JSON list, oldest first")
    listed.set_defaults(func=cmd_taught)
    undo = know_sub.add_parser("untaught", help="remove a taught or learned phrasing from an FAQ entry")
    undo.add_argument("entry_id", metavar="ENTRY_ID")
    undo.add_argument("phrasing")
    undo.set_defaults(func=cmd_untaught)
    everything = know_sub.add_parser("export", help="write the knowledge files plus every edit made in the staff "
                                                    "dashboard into DIR (faq.yaml, events.yaml; comments and order "
                                                    "kept)")
    everything.add_argument("dir", metavar="DIR")
    everything.set_defaults(func=cmd_export)
    staff = sub.add_parser("staff", help="staff dashboard accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_sub.add_parser("add-user", help="create an account (or set a new password); the password is read "
                                                "from the terminal, or from stdin when it is not one")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=("editor", "agent"), default="editor",
                     help="editor: knowledge and events too; agent: tickets and registrations (default: editor)")
    add.set_defaults(func=cmd_staff_add_user)
    reset = staff_sub.add_parser("set-password", help="a new password for an existing account; every session "
                                                      "signed in with the old one ends")
    reset.add_argument("name", metavar="NAME")
    reset.set_defaults(func=cmd_staff_set_password)


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


def cmd_taught(ctx: Context) -> int:
    rows = learning.taught_list(ctx.db())
    if ctx.args.json:
        print(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Nothing taught yet.")
    for r in rows:
        print(f"{r.created_at:%Y-%m-%d %H:%M}  {r.source:<7}  {r.entry}: {r.phrasing}")
    return 0


def cmd_untaught(ctx: Context) -> int:
    args = ctx.args
    if not learning.untaught(ctx.db(), args.entry_id, args.phrasing):
        print(f"gasme-bot: {args.entry_id!r} has no taught phrasing {args.phrasing!r} "
              "(see gasme-bot knowledge taught)", file=sys.stderr)
        return 1
    print(f"untaught {args.entry_id}: {args.phrasing!r}")
    return 0


def cmd_export(ctx: Context) -> int:
    """`gasme-bot knowledge export DIR`: the files (from --knowledge) with the dashboard's edits applied, so they
    can go back into version control; DIR may be the knowledge directory itself."""
    from bot.desk.knowledge_export import export

    source = ctx.knowledge_dir or default_dir()
    changed = export(ctx.db(), source, Path(ctx.args.dir))
    for name, count in changed.items():
        print(f"{count} edited item(s) written to {Path(ctx.args.dir) / name}")
    return 0


def _new_password(name: str) -> str | None:
    """From the terminal (asked twice), or one line of stdin when it is not a terminal; None when they differ."""
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Again: ") != password:
            print("gasme-bot: the passwords differ", file=sys.stderr)
            return None
        return password
    return sys.stdin.readline().rstrip("\r\n")


def _set_password(ctx: Context, must_exist: bool) -> int:
    name = ctx.args.name
    db = ctx.db()
    password = _new_password(name)
    if password is None:
        return 1
    try:
        created = staff_accounts.add_user(db, name, password, ctx.clock(), getattr(ctx.args, "role", None),
                                          must_exist=must_exist)
    except staff_accounts.AccountError as exc:
        print(f"gasme-bot: {exc}", file=sys.stderr)
        return 1
    role = getattr(ctx.args, "role", None)
    print(f"created staff account {name.strip()} ({role})" if created
          else f"new password for staff account {name.strip()}; its dashboard sessions have ended")
    return 0


def cmd_staff_add_user(ctx: Context) -> int:
    return _set_password(ctx, must_exist=False)


def cmd_staff_set_password(ctx: Context) -> int:
    return _set_password(ctx, must_exist=True)
