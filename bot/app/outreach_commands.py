"""Staff commands for reaching members: `gasme-bot announce`, `gasme-bot announcements`, `gasme-bot members
export|forget`. The rules live in bot/desk (announcements.py, members.py); this module parses and prints."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from bot.app.command import Context, Subcommands
from bot.desk import announcements, members
from bot.storage.database import sessions
from bot.understanding.knowledge_files import KnowledgeError


def add_parsers(sub: Subcommands) -> None:
    ann = sub.add_parser("announce", help="send a message to all members or one event's registrants")
    ann.add_argument("--text", required=True, help="the message (English, or the only language given)")
    ann.add_argument("--text-zh", help="the message for members who use Chinese")
    target = ann.add_mutually_exclusive_group()
    target.add_argument("--event", metavar="ID", help="only this event's registrants (confirmed and waitlisted)")
    target.add_argument("--all", action="store_true", help="everyone who follows the bot (the default)")
    ann.add_argument("--resume", metavar="ANNOUNCEMENT_ID", type=int, help="finish queueing an interrupted one")
    ann.add_argument("--dry-run", action="store_true", help="only count who would get it, per channel")
    ann.add_argument("--json", action="store_true", help="machine-readable output")
    ann.set_defaults(func=cmd_announce)
    lst = sub.add_parser("announcements", help="announcements with delivery counts")
    lst.add_argument("--json", action="store_true", help="JSON list")
    lst.set_defaults(func=cmd_announcements)
    mem = sub.add_parser("members", help="a member's own data (requests by email)")
    mem_sub = mem.add_subparsers(dest="members_command", required=True)
    exp = mem_sub.add_parser("export", help="JSON of everything stored about CHANNEL:USER_ID")
    exp.add_argument("member", metavar="CHANNEL:USER_ID")
    exp.set_defaults(func=cmd_member_export)
    fgt = mem_sub.add_parser("forget", help="erase CHANNEL:USER_ID (seats at coming events freed)")
    fgt.add_argument("member", metavar="CHANNEL:USER_ID")
    fgt.set_defaults(func=cmd_member_forget)


class Progress:
    """A one-line progress bar, drawn only on a terminal (a pipe or a file gets the summary alone)."""

    def __init__(self, out: TextIO, label: str):
        self.out, self.label = out, label
        self.on = out.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.on or total == 0:
            return
        width = 30
        filled = width * done // total
        self.out.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            self.out.write("\n")
        self.out.flush()


def cmd_announce(ctx: Context) -> int:
    args = ctx.args
    now = ctx.clock()
    text_en = args.text.strip() or None
    text_zh = (args.text_zh or "").strip() or None
    if text_en is None and text_zh is None:
        print("gasme-bot announce: the text is empty", file=sys.stderr)
        return 2
    if args.event:
        try:
            known = ctx.knowledge().event_by_id(args.event) is not None
        except KnowledgeError:
            known = True  # the calendar is being fixed; registrations in the database still say who registered
        if not known:
            print(f"gasme-bot announce: no event {args.event!r} in the calendar", file=sys.stderr)
            return 1
    db = ctx.db()
    try:
        if args.dry_run:
            tally = announcements.dry_run(db, args.event, now)
            summary = {"dry_run": True, "target": args.event or "all", **tally.as_dict()}
            ann_id = None
        else:
            ann_id = args.resume or announcements.unfinished_like(db, text_en, text_zh, args.event)
            resumed = ann_id is not None
            if ann_id is None:
                ann_id = announcements.create(db, text_en, text_zh, args.event, now)
            tally = announcements.queue(db, ann_id, now, Progress(sys.stdout, f"announcement #{ann_id}"))
            summary = {"id": ann_id, "resumed": resumed, "target": args.event or "all", **tally.as_dict()}
    except KeyError:
        print(f"gasme-bot announce: no announcement #{args.resume}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    head = "Would send to" if args.dry_run else f"Announcement #{ann_id}: queued for"
    print(f"{head} {summary['recipients']} member(s); {summary['opted_out']} opted out, "
          f"{summary['unreachable']} unreachable" + (f", {summary['already_queued']} queued before" if
                                                      summary["already_queued"] else "") + ".")
    for channel, c in summary["channels"].items():
        print(f"  {channel:<10} {c['recipients']:>6} to send  {c['opted_out']:>5} opted out  "
              f"{c['unreachable']:>5} unreachable")
    return 0


def cmd_announcements(ctx: Context) -> int:
    rows = announcements.listing(ctx.db())
    if ctx.args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No announcements.")
    for r in rows:
        flag = "" if r["complete"] else "  (queueing was interrupted: run it again to resume)"
        print(f"#{r['id']:<4} {r['created_at'][:16]}  to {r['target']:<28} sent {r['sent']}, failed {r['failed']}, "
              f"unreachable {r['unreachable']}, pending {r['pending']}, opted out {r['opted_out']}{flag}")
        print(f"      {str(r['text'])[:100]}")
    return 0


def _member(ctx: Context) -> tuple[str, str] | None:
    try:
        return members.parse_member(ctx.args.member)
    except ValueError as exc:
        print(f"gasme-bot members: {exc}", file=sys.stderr)
        return None


def cmd_member_export(ctx: Context) -> int:
    who = _member(ctx)
    if who is None:
        return 2
    with sessions(ctx.db()).begin() as s:
        data: Any = members.export(s, *who)
    if data is None:
        print(f"Nothing is stored about {ctx.args.member}.", file=sys.stderr)
        return 1
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def cmd_member_forget(ctx: Context) -> int:
    who = _member(ctx)
    if who is None:
        return 2
    now = ctx.clock()
    db = ctx.db()
    try:
        lookup = ctx.knowledge().event_by_id
    except KnowledgeError:
        print("gasme-bot members forget: the knowledge base has problems; fix it first (seats at events "
              "still to come must be released by the calendar's dates)", file=sys.stderr)
        return 2
    with sessions(db).begin() as s:
        done = members.forget(s, lookup, *who, now)
        if done is None:
            print(f"Nothing is stored about {ctx.args.member}.", file=sys.stderr)
            return 1
    print(f"Forgot {ctx.args.member}: {done.transcript_lines} transcript line(s) deleted, "
          f"{done.registrations_kept} registration(s) kept anonymously, {done.seats_released} seat(s) released"
          f" ({done.promoted} promoted from the waitlist), {done.tickets} ticket(s) anonymised.")
    return 0
