"""Event texts for members (dates in the venue's time zone) and .ics calendar files."""

from __future__ import annotations

from datetime import datetime

import icalendar

from bot.i18n import MONTHS_EN, WEEKDAYS, t
from bot.messages import Attachment, Lang
from bot.understanding import places
from bot.understanding.knowledge_files import Event


def _day(d: datetime, lang: Lang) -> str:
    wd = WEEKDAYS[lang][d.weekday()]
    if lang == "zh":
        return f"{d.year}年{d.month}月{d.day}日（{wd}）"
    return f"{wd} {d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def date_range_of(d: datetime, lang: Lang) -> str:
    """One day: "1 May 2027" / "2027年5月1日"."""
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def date_range(ev: Event, lang: Lang) -> str:
    """Short dates: "10–14 May 2027" / "2027年5月10日–14日"."""
    s, e = ev.starts, ev.finishes
    if lang == "zh":
        if s.date() == e.date():
            return f"{s.year}年{s.month}月{s.day}日"
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.year}年{s.month}月{s.day}日–{e.day}日"
        return f"{s.year}年{s.month}月{s.day}日–{e.year}年{e.month}月{e.day}日"
    month = MONTHS_EN[s.month - 1]
    if s.date() == e.date():
        return f"{s.day} {month} {s.year}"
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.day}–{e.day} {month} {s.year}"
    return f"{s.day} {month} {s.year} – {e.day} {MONTHS_EN[e.month - 1]} {e.year}"


def _comma(lang: Lang) -> str:
    # Chinese text takes full-width punctuation: "当地时间，CEST", "法兰克福，德国".
    return "，" if lang == "zh" else ", "


def _paren(text: str, lang: Lang) -> str:
    return f"（{text}）" if lang == "zh" else f"({text})"


def when(ev: Event, lang: Lang) -> str:
    """Full times in the venue's zone, e.g. "Mon 10 May 2027 09:00 – Fri 14 May 2027 17:00 (local time, EDT)"."""
    s = ev.starts
    zone = f"{t('label_local_time', lang)}{_comma(lang)}{s.tzname()}"
    start = f"{_day(s, lang)} {s:%H:%M}"
    if ev.ends is None:
        return f"{start} {_paren(zone, lang)}" if lang == "en" else f"{start}{_paren(zone, lang)}"
    e = ev.ends
    end = f"{e:%H:%M}" if e.date() == s.date() else f"{_day(e, lang)} {e:%H:%M}"
    return f"{start} – {end} {_paren(zone, lang)}" if lang == "en" else f"{start} – {end}{_paren(zone, lang)}"


def place(ev: Event, lang: Lang) -> str:
    parts = [ev.city.get(lang)] if ev.city else []
    country = places.country_name(ev.country, lang) if ev.country else ""
    if country and country not in parts:  # a city-state is named once ("Singapore", not "Singapore, Singapore")
        parts.append(country)
    return _comma(lang).join(parts)


def venue_and_place(ev: Event, lang: Lang) -> str:
    """Where an event is, venue first ("Cintermex, Monterrey, Mexico"), for "where is it?"."""
    where = place(ev, lang)
    return (f"{ev.venue}, {where}" if where else ev.venue) if ev.venue else where


def summary_line(ev: Event, lang: Lang) -> str:
    where = place(ev, lang)
    return f"• {ev.title.get(lang)} — {date_range(ev, lang)}" + (f"{_comma(lang)}{where}" if where else "")


def details(ev: Event, lang: Lang) -> str:
    def label(key: str) -> str:
        return t(key, lang) + ("：" if lang == "zh" else ": ")

    lines = [ev.title.get(lang), f"{label('label_when')}{when(ev, lang)}"]
    where = place(ev, lang)
    if ev.venue:
        where = f"{ev.venue}{_comma(lang)}{where}" if where else ev.venue
    if where:
        lines.append(f"{label('label_where')}{where}")
    if ev.capacity:
        lines.append(f"{label('label_seats')}{ev.capacity}")
    if ev.registration_closes:
        rc = ev.registration_closes
        closes = f"{_day(rc, lang)} {rc:%H:%M}"
        lines.append(f"{label('label_reg_closes')}{closes}" + (f" ({rc.tzname()})" if lang == "en"
                                                                 else f"（{rc.tzname()}）"))
    if ev.description:
        lines.append("")
        lines.append(ev.description.get(lang))
    return "\n".join(lines)


def ics(ev: Event, lang: Lang, now: datetime) -> Attachment:
    """An RFC 5545 calendar file with the event in its own time zone (VTIMEZONE included)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//GASME member bot//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    vevent = icalendar.Event()
    vevent.add("uid", f"{ev.id}@gasme-bot")
    vevent.add("dtstamp", now)
    vevent.add("dtstart", ev.starts)
    vevent.add("dtend", ev.finishes)
    vevent.add("summary", ev.title.get(lang))
    location = ", ".join(p for p in (ev.venue, place(ev, lang)) if p)
    if location:
        vevent.add("location", location)
    if ev.description:
        vevent.add("description", ev.description.get(lang))
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return Attachment(f"{ev.id}.ics", "text/calendar", cal.to_ical())
