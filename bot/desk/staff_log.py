"""Every change staff make in the dashboard, with their name: what, to what, when (the staff_log table)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from bot.storage.models import StaffLog


@dataclass(frozen=True)
class Entry:
    staff: str
    action: str
    subject: str
    detail: dict[str, Any]
    created_at: datetime


def record(conn: Connection, staff: str, action: str, subject: str, detail: dict[str, Any], now: datetime) -> None:
    conn.execute(insert(StaffLog), {"staff": staff[:128], "action": action[:32], "subject": subject[:200],
                                    "detail": detail, "created_at": now})


def record_now(db: Engine, staff: str, action: str, subject: str, detail: dict[str, Any], now: datetime) -> None:
    with db.begin() as conn:
        record(conn, staff, action, subject, detail, now)


def of(db: Engine, subject: str) -> list[Entry]:
    """What staff did to one thing ("ticket:12"), oldest first."""
    with db.connect() as conn:
        rows = conn.execute(select(StaffLog).where(StaffLog.subject == subject).order_by(StaffLog.id)).all()
    return [Entry(r.staff, r.action, r.subject, r.detail, r.created_at) for r in rows]
