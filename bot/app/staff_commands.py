"""Staff commands that read the database: `gasme-bot registrations`."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from bot.app.settings import Settings
from bot.desk import registrations as regs
from bot.storage.database import make_engine, sessions, upgrade, utc_iso
from bot.storage.models import Registration
from bot.understanding.knowledge_files import KnowledgeError, load

FIELDS = ["id", "event_id", "event_title", "name", "company", "email", "status", "waitlist_position", "channel",
          "user_id", "lang", "created_at", "updated_at", "cancelled_at", "held_until"]


def registration_rows(database_url: str, event_id: str | None, knowledge_dir: Path | None) -> list[dict[str, Any]]:
    engine = make_engine(database_url)
    upgrade(engine)
    try:
        titles = {e.id: e.title.en for e in load(knowledge_dir).events}
    except KnowledgeError:
        titles = {}  # listing registrations must work even while the knowledge files are being fixed
    rows: list[dict[str, Any]] = []
    with sessions(engine)() as s:
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
                # GASME_REGISTRATION_CONFIRM=email: not yet confirmed by the email's link; the seat lapses then
                "held_until": utc_iso(r.hold_until) if r.hold_until else None,
            })
    engine.dispose()
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
        writer.writerow([_cell(row.get(f)) for f in FIELDS])
    # The byte-order mark makes Excel read the file as UTF-8, so 王芳 and Müller survive a double-click.
    return "\ufeff" + buf.getvalue()


def cmd_registrations(args: argparse.Namespace, default_url: str, knowledge_dir: Path | None) -> int:
    rows = registration_rows(args.db or default_url, args.event, knowledge_dir)
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


def cmd_tickets(args: argparse.Namespace, settings: Settings) -> int:
    """`gasme-bot tickets [--json]`, `tickets reply ID TEXT`, `tickets resolve ID`: the staff path without Slack."""

    engine = make_engine(args.db or settings.database_url)
    try:
        return _tickets(args, settings, engine)
    finally:
        engine.dispose()


def _tickets(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    from bot.desk.tickets import StaffDesk

    upgrade(engine)
    now = args.now or datetime.now(UTC)
    desk = StaffDesk(engine, lambda: now)
    action = getattr(args, "tickets_command", None)
    if action in ("reply", "resolve"):
        if action == "reply":
            result = desk.reply(args.id, args.text, f"cli:{args.staff}", echo_to_slack=settings.slack_enabled)
        else:
            result = desk.resolve(args.id, f"cli:{args.staff}")
        if result == "not_found":
            print(f"No ticket #{args.id}.", file=sys.stderr)
            return 1
        if result == "closed":
            print(f"Ticket #{args.id} is already resolved.", file=sys.stderr)
            return 1
        done = {"ok": "reply queued for the member", "note": "note kept among staff (the member does not see it)"}
        print(f"Ticket #{args.id}: {done[result] if action == 'reply' else 'resolved'}.")
        return 0
    rows = desk.listing(include_resolved=args.all)
    if args.json:
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
