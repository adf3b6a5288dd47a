"""Staff office hours, for telling a member roughly when a person will answer.

Configured as GASME_OFFICE_HOURS="Mon-Fri 09:00-18:00" in the time zone GASME_OFFICE_TZ (an IANA name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass(frozen=True)
class OfficeHours:
    days: frozenset[int]  # 0 = Monday
    opens: time
    closes: time
    tz: ZoneInfo

    @classmethod
    def parse(cls, spec: str, tz_name: str) -> OfficeHours:
        m = re.fullmatch(r"\s*(\w{3})\s*-\s*(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", spec)
        if not m or m.group(1).lower() not in DAYS or m.group(2).lower() not in DAYS:
            raise ValueError(f"office hours {spec!r}: expected a form like 'Mon-Fri 09:00-18:00'")
        first, last = DAYS.index(m.group(1).lower()), DAYS.index(m.group(2).lower())
        days = frozenset(range(first, last + 1)) if first <= last else frozenset([*range(first, 7), *range(last + 1)])
        return cls(days, time(int(m.group(3)), int(m.group(4))), time(int(m.group(5)), int(m.group(6))),
                   ZoneInfo(tz_name))

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.tz)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        local = now.astimezone(self.tz)
        for ahead in range(8):
            day = (local + timedelta(days=ahead)).date()
            start = datetime.combine(day, self.opens, tzinfo=self.tz)
            if day.weekday() in self.days and start > local:
                return start
        return local
