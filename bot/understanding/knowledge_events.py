"""events.yaml: the calendar. Times are the venue's local time in the event's IANA time zone."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry

from bot.understanding.knowledge_model import Event
from bot.understanding.knowledge_yaml import Checker, Map, Problem

EVENT_FIELDS = {"id", "title", "starts", "ends", "timezone", "city", "country", "venue", "capacity",
                "registration_closes", "description", "tags"}


def load_events(path: Path) -> tuple[list[Event], list[Problem]]:
    c = Checker(path.name)
    data = c.load_list(path)
    events: list[Event] = []
    if data is None:
        return events, c.problems
    seen: dict[str, int] = {}
    for n, (item, line) in enumerate(zip(data, data.item_lines, strict=True)):
        if not isinstance(item, Map):
            c.add(line, f"event {n + 1}", "each event must be a map with id, title, starts and timezone")
            continue
        event = _event(c, item, f"event {n + 1}", seen)
        if event is not None:
            events.append(event)
    return events, c.problems


def _event(c: Checker, item: Map, where: str, seen: dict[str, int]) -> Event | None:
    """One event, or None after recording what is wrong with it (an event with any problem is left out)."""
    problems_before = len(c.problems)
    event_id = c.want_id(item, where, seen)
    if event_id:
        where = f"event {event_id!r}"
    c.check_keys(item, where, EVENT_FIELDS, {"id", "title", "starts", "timezone"})
    tz = _time_zone(c, item, where)
    title = c.want_text(item, "title", where)
    starts = c.want_time(item, "starts", where, tz)
    ends = c.want_time(item, "ends", where, tz)
    closes = c.want_time(item, "registration_closes", where, tz)
    city = c.want_text(item, "city", where)
    description = c.want_text(item, "description", where)
    tags = c.want_str_list(item, "tags", where, required=False)
    country, venue, capacity = _country(c, item, where), _venue(c, item, where), _capacity(c, item, where)
    _check_order(c, item, where, starts, ends, closes)
    if not (event_id and title and starts and tags is not None) or len(c.problems) != problems_before:
        return None
    return Event(event_id, title, starts, str(item.get("timezone")), ends, city, country, venue, capacity, closes,
                 description, tags)


def _time_zone(c: Checker, item: Map, where: str) -> ZoneInfo | None:
    if "timezone" not in item:
        return None
    name = item.get("timezone")
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        c.add(c.line_of(item, "timezone"), f"{where}.timezone",
              f"{name!r} is not an IANA time zone name like Europe/London")
        return None


def _country(c: Checker, item: Map, where: str) -> str | None:
    country = item.get("country")
    if country is None:
        return None
    if not isinstance(country, str) or pycountry.countries.get(alpha_2=country.upper()) is None:
        c.add(c.line_of(item, "country"), f"{where}.country",
              f"{country!r} is not an ISO 3166-1 alpha-2 country code like DE")
        return None
    return country.upper()


def _venue(c: Checker, item: Map, where: str) -> str | None:
    venue = item.get("venue")
    if venue is None:
        return None
    if not isinstance(venue, str) or not venue.strip():
        c.add(c.line_of(item, "venue"), f"{where}.venue", "must be non-empty text")
        return None
    return venue.strip()


def _capacity(c: Checker, item: Map, where: str) -> int | None:
    capacity = item.get("capacity")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1):
        c.add(c.line_of(item, "capacity"), f"{where}.capacity",
              f"{capacity!r} is not a whole number of seats (1 or more)")
        return None
    return capacity


def _check_order(c: Checker, item: Map, where: str, starts: datetime | None, ends: datetime | None,
                 closes: datetime | None) -> None:
    if starts and ends and ends < starts:
        c.add(c.line_of(item, "ends"), f"{where}.ends", "ends before the event starts")
    if starts and closes and closes > (ends or starts):
        c.add(c.line_of(item, "registration_closes"), f"{where}.registration_closes",
              "registration closes after the event is over")
