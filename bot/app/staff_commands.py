"""Staff commands without Slack: `gasme-bot registrations`, `gasme-bot tickets [reply ID TEXT | resolve ID]`."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select

from bot.app.command import Context, Subcommands
from bot.desk import registrations as regs
from bot.storage.database import sessions, utc_iso
from bot.storage.models import Registration
from bot.understanding.knowledge_files import KnowledgeError

if TYPE_CHECKING:
    from bot.desk.tickets import StaffDesk

FIELDS = ["id", "event_id", "event_title", "name", "company", "email", "status", "waitlist_position", "channel",
          "user_id", "lang", "created_at", "updated_at", "cancelled_at"]


def add_parsers(sub: Subcommands) -> None:
    regs_p = sub.add_parser("registrations", help="event registrations, for staff")
    regs_p.add_argument("--event", metavar="ID", help="only this event")
    fmt = regs_p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON list")
    fmt.add_argument("--csv", action="store_true", help="CSV for spreadsheets (UTF-8 with BOM)")
    regs_p.set_defaults(func=cmd_registrations)
    tickets = sub.add_parser("tickets", help="staff hand-off tickets (without Slack)")
    tickets.add_argument("--json", action="store_true", help="JSON list")
    tickets.add_argument("--all", action="store_true", help="include resolved tickets")
    tickets.set_defaults(func=cmd_tickets)
    t_sub = tickets.add_subparsers(dest="tickets_command", required=False)
    reply = t_sub.add_parser("reply", help="answer a ticket; the member gets it on their channel")
    reply.add_argument("id", type=int)
    reply.add_argument("text")
    reply.add_argument("--as", dest="staff", default="cli", help="staff name shown in the transcript")
    reply.set_defaults(func=cmd_ticket_reply)
    resolve = t_sub.add_parser("resolve", help="close a ticket; the bot answers the member again")
    resolve.add_argument("id", type=int)
    resolve.add_argument("--as", dest="staff", default="cli")
    resolve.set_defaults(func=cmd_ticket_resolve)


def registration_rows(db: Engine, titles: dict[str, str], event_id: str | None) -> list[dict[str, Any]]:
    """Registrations as the JSON and CSV listings show them; `titles` names the events (English)."""
    rows: list[dict[str, Any]] = []
    with sessions(db)() as s:
        q = select(Registration).order_by(Registration.event_id, Registration.id)
        if event_id:
            q = q.where(Registration.event_id == event_id)
        for r in s.scalars(q):
            rows.append({
                "id": r.id, "event_id": r.event_id, "event_title": titles.get(r.event_id), "name": r.name,
                "company": r.company, "email": r.email, "status": r.status,
                "waitlist_position": regs.waitlist_position(s, r) if r.status == "waitlisted" else None,
                "channel": r.channel, "user_id": r.user_id, "lang": r.lang,
                "created_at": utc_iso(r.created_at), "updated_at": utc_iso(r.updated_at),
                "cancelled_at": utc_iso(r.cancelled_at) if r.cancelled_at else None,
            })
    return rows


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ would otherwise be run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow([_cell(row[f]) for f in FIELDS])
    # The byte-order mark makes Excel read the file as UTF-8, so 王芳 and Müller survive a double-click.
    return "\ufeff" + buf.getvalue()


def cmd_registrations(ctx: Context) -> int:
    args = ctx.args
    try:
        titles = {e.id: e.title.en for e in ctx.knowledge().events}
    except KnowledgeError:
        titles = {}  # listing registrations must work even while the knowledge files are being fixed
    rows = registration_rows(ctx.db(), titles, args.event)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.csv:
        sys.stdout.buffer.write(to_csv(rows).encode("utf-8"))
        sys.stdout.flush()
    else:
        if not rows:
            print("No registrations.")
        for r in rows:
            pos = f" #{r['waitlist_position']}" if r["waitlist_position"] else ""
            print(f"{r['id']:>5}  {r['event_id']:<32} {r['status']:<10}{pos:<5} {r['name']} | {r['company']} | "
                  f"{r['email']}  ({r['channel']}:{r['user_id']})")
    return 0


def _desk(ctx: Context) -> StaffDesk:
    from bot.desk.tickets import StaffDesk

    return StaffDesk(ctx.db(), ctx.clock)


def cmd_tickets(ctx: Context) -> int:
    """`gasme-bot tickets [--json] [--all]`: the staff path without Slack."""
    rows = _desk(ctx).listing(include_resolved=ctx.args.all)
    if ctx.args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("No open tickets.")
    for r in rows:
        owner = f" by {r['claimed_by']}" if r["claimed_by"] else ""
        print(f"#{r['id']:<4} {r['status']}{owner}  {r['channel']}:{r['user_id']}  [{r['lang']}]  {r['created_at']}")
        print(f"      {r['question'][:200]}")
        for line in r["transcript"][-6:]:
            print(f"        {line['who']:>5}: {line['text'][:120]}")
    return 0


def _refused(ticket_id: int, result: str) -> bool:
    if result == "not_found":
        print(f"No ticket #{ticket_id}.", file=sys.stderr)
    elif result == "closed":
        print(f"Ticket #{ticket_id} is already resolved.", file=sys.stderr)
    else:
        return False
    return True


def cmd_ticket_reply(ctx: Context) -> int:
    """`gasme-bot tickets reply ID TEXT`: the member gets it on their channel (or, `note: ...`, staff only)."""
    args = ctx.args
    result = _desk(ctx).reply(args.id, args.text, f"cli:{args.staff}", echo_to_slack=ctx.settings.slack_enabled)
    if _refused(args.id, result):
        return 1
    done = {"ok": "reply queued for the member", "note": "note kept among staff (the member does not see it)"}
    print(f"Ticket #{args.id}: {done[result]}.")
    return 0


def cmd_ticket_resolve(ctx: Context) -> int:
    """`gasme-bot tickets resolve ID`: the bot answers the member again."""
    result = _desk(ctx).resolve(ctx.args.id, f"cli:{ctx.args.staff}")
    if _refused(ctx.args.id, result):
        return 1
    print(f"Ticket #{ctx.args.id}: resolved.")
    return 0
