"""The weekly digest for the staff channel: what members asked that the bot could not answer (each group with a
button that teaches its phrasings to the closest entry), the answers most often found unhelpful, and the week's
hand-offs and registrations. Queued once per ISO week through the outbox, whichever worker gets there first."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select

from bot.desk import learning
from bot.storage import outbox
from bot.storage.models import Registration, SentOnce, Ticket

if TYPE_CHECKING:
    from bot.understanding.knowledge_base import Library

TOP = 5


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def week_key(now: datetime) -> str:
    year, week, _ = now.isocalendar()
    return f"digest:{year}-W{week:02d}"


def build(db: Engine, library: Library, now: datetime) -> dict[str, Any]:
    """The digest as a Slack message: {"text": fallback text, "blocks": [...]}."""
    since = now - timedelta(days=7)
    groups = learning.unanswered_groups(db, library, since)[:TOP]
    votes = learning.feedback_counts(db, since)
    unhelpful = sorted(((c["down"], e) for e, c in votes.items() if c["down"]), reverse=True)[:TOP]
    with db.connect() as conn:
        handoffs = int(conn.execute(select(func.count(Ticket.id)).where(Ticket.created_at >= since)).scalar() or 0)
        regs = dict(conn.execute(select(Registration.status, func.count(Registration.id))
                                 .where(Registration.created_at >= since).group_by(Registration.status)).all())
    title = f"Weekly digest, {since:%d %b} – {now:%d %b %Y}"
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": title}}]
    counts = (f"*Hand-offs:* {handoffs} · *Registrations:* {sum(regs.values())} "
              f"({regs.get('confirmed', 0)} confirmed, {regs.get('waitlisted', 0)} waitlisted, "
              f"{regs.get('cancelled', 0)} cancelled)")
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": counts}})
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text":
                   "*Questions the bot could not answer*" if groups else "*Every question was answered* 🎉"}})
    for g in groups:
        examples = "\n".join(f"• {_escape(e[:200])}" for e in g.examples[:3])
        section: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text":
                                   f"*{g.count}×* ({', '.join(g.languages)})\n{examples}"}}
        if g.closest:
            value = json.dumps({"entry": g.closest, "ids": g.ids[:50]}, separators=(",", ":"))
            section["accessory"] = {"type": "button", "action_id": "digest_teach", "value": value[:2000],
                                    "text": {"type": "plain_text", "text": f"Add to {g.closest}"[:75]}}
        blocks.append(section)
    if unhelpful:
        lines = "\n".join(f"• `{entry}`: {down} not helpful, {votes[entry]['up']} helpful" for down, entry in unhelpful)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*Answers found unhelpful*\n{lines}"}})
    text = (f"{title}: {sum(g.count for g in groups)} unanswered, {handoffs} hand-offs, "
            f"{sum(regs.values())} registrations")
    return {"text": text, "blocks": blocks}


def queue_weekly(db: Engine, library: Library, now: datetime) -> bool:
    """Queue this week's digest unless some process already did; True when this call queued it. A new deployment
    starts with the next week: its first worker does not post a digest of a week it did not see."""
    key = week_key(now)
    with db.begin() as conn:
        if learning.first_time(conn, "digest:start", now):
            learning.first_time(conn, key, now)
            return False
    with db.connect() as conn:  # most timer rounds end here: the digest is built once a week
        if conn.execute(select(SentOnce.key).where(SentOnce.key == key)).first() is not None:
            return False
    payload = build(db, library, now)
    with db.begin() as conn:
        if not learning.first_time(conn, key, now):
            return False
        outbox.enqueue(conn, now, "slack", "staff", None, "slack_digest", payload, stream="staff-notices")
    return True
