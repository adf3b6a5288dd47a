"""Periods of time named in a message about the calendar: a month, a week, a year, and spans of months ("before
May", "after July", "the first half of next year", "Q3", "March to May", "五月之前", "下半年", "3到5月").

Rules, not guessing: the calendar answers with dates, so a period is either read exactly or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.i18n import MONTHS_EN, t
from bot.messages import Lang
from bot.understanding.knowledge_files import Event

_EN_MONTHS = (r"january|february|march|april|may|june|july|august|september|october|november|december|"
              r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec")
MONTH_RE = re.compile(
    r"(?<![a-z])(?:(in|during|for|of|this|next|early|late|mid)\s+)?"
    rf"({_EN_MONTHS})(?![a-z])(?:\s*(20\d\d))?"
)
_MONTH_ABBR = {m.lower()[:3]: i + 1 for i, m in enumerate(MONTHS_EN)} | {"sept": 9}
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
_ZH_MONTH_NUM = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
ZH_MONTH_RE = re.compile(rf"(?:(20\d\d)\s*年\s*)?({_ZH_MONTH_NUM})\s*月")
_YEAR_RE = re.compile(r"(?<!\d)(20[2-9]\d)(?:年)?(?!\d)")

# One month, English or Chinese, with its year if given: the pieces the spans below are made of.
_EN_ONE = rf"(?P<{{g}}>{_EN_MONTHS})(?![a-z])(?:\s*(?P<{{g}}y>20\d\d))?"
_ZH_ONE = rf"(?:(?P<{{g}}y>20\d\d)\s*年\s*)?(?P<{{g}}>{_ZH_MONTH_NUM})\s*月?份?"
# Before a month (up to its start), up to its end, after it (from the next month on), from it on.
_EN_EDGE = re.compile(
    r"(?<![a-z])(?:(?P<before>before|earlier than|prior to)|(?P<until>until|till|through|up to|by the end of)|"
    r"(?P<after>after|later than|following)|(?P<since>from|since|starting( in| from)?))\s+(?:the\s+)?(?:month of\s+)?"
    + _EN_ONE.format(g="m") + r"(?!\s*(?:-|–|to|and|till|until|through)\s*(?:" + _EN_MONTHS + r"))"
)
_ZH_EDGE = re.compile(
    rf"(?:从|自)?(?:(?P<my>20\d\d)\s*年\s*)?(?<!\d)(?P<m>{_ZH_MONTH_NUM})\s*月\s*份?\s*"
    r"(?:(?P<until>底之?前|底以前|底前|及以前|及之前)|(?P<before>之前|以前|前)|"
    r"(?P<after>之后|以后|后)|(?P<since>起|开始|及以后|及之后))"
)
_EN_SPAN = re.compile(r"(?<![a-z])(?:between\s+" + _EN_ONE.format(g="a") + r"\s*(?:and|-|–)\s*" + _EN_ONE.format(g="b")
                      + r"|(?:from\s+)?" + _EN_ONE.format(g="c") + r"\s*(?:-|–|to|till|until|through)\s*"
                      + _EN_ONE.format(g="d") + ")")
_ZH_SPAN = re.compile("(?<!\\d)" + _ZH_ONE.format(g="c") + r"\s*(?:到|至|-|~|～|—)\s*"
                      + _ZH_ONE.format(g="d").replace("月?", "月"))
# Halves and quarters of a year.
_HALF = re.compile(r"(?<![a-z])(?:(?P<h1>first|1st)|(?P<h2>second|2nd|latter|later))\s+half\b"
                   r"|(?<![a-z])h(?P<n>[12])\b|(?P<zh1>上半年)|(?P<zh2>下半年)")
_QUARTER = re.compile(r"(?<![a-z])q(?P<n>[1-4])\b"
                      r"|(?<![a-z])(?P<w>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\b"
                      r"|第?(?P<zh>[一二三四1-4])\s*季度")
# Seasons, as the northern hemisphere counts them (the calendar's events are mostly there): "next spring", "明年春天".
# "fall" only where it cannot be the verb; "spring festival" is Chinese New Year.
_SEASON = re.compile(r"(?<![a-z])(?P<en>spring(?! festival)|summer|autumn|winter"
                     r"|(?:(?<=this )|(?<=next )|(?<=last )|(?<=the )|(?<=in ))fall)\b"
                     r"|(?P<zh>春|夏|秋|冬)(天|季)(?!度)")
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12, "春": 3, "夏": 6, "秋": 9, "冬": 12}
_SEASON_NAMES = {3: ("spring", "春季"), 6: ("summer", "夏季"), 9: ("autumn", "秋季"), 12: ("winter", "冬季")}
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "一": 1, "二": 2, "三": 3, "四": 4}
_FAR = 10  # years: "after July" runs to the end of the calendar


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # exclusive
    label_key: str
    label_args: tuple[tuple[str, object], ...] = ()

    def label(self, lang: Lang) -> str:
        return t(self.label_key, lang, **dict(self.label_args))

    def contains(self, event: Event) -> bool:
        """An event is in the period if any of its days is."""
        first, last = event.starts.date(), event.finishes.date()
        return first < self.end and last >= self.start


def add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _month_args(year: int, month: int, suffix: str = "") -> tuple[tuple[str, object], ...]:
    return ((f"month{suffix}", MONTHS_EN[month - 1]), (f"month{suffix}_num", month), (f"year{suffix}", year))


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(start, add_months(start, 1), "period_month", _month_args(year, month))


def _month_number(raw: str) -> int:
    if raw.isdigit():
        return int(raw)
    if raw in _ZH_NUM:
        return _ZH_NUM[raw]
    return _MONTH_ABBR[raw[:4] if raw == "sept" else raw[:3]]


def _next_year_of(month: int, today: date) -> int:
    """A month named without its year is the next one: in November, "March" is next year's."""
    return today.year if month >= today.month else today.year + 1


def names_a_year(norm: str) -> bool:
    """Whether the text says which year ("2027", "next year", "今年")."""
    return _year_named(norm, date.today()) is not None


def _year_named(norm: str, today: date) -> int | None:
    y = _YEAR_RE.search(norm)
    if y:
        return int(y.group(1))
    if re.search(r"next year|明年", norm):
        return today.year + 1
    if re.search(r"this year|今年", norm):
        return today.year
    return None


def _edge(norm: str, today: date) -> Period | None:
    """"before May", "after July", "until June", "from March", "五月之前", "7月以后", "6月底前", "从3月起"."""
    m = _EN_EDGE.search(norm) or _ZH_EDGE.search(norm)
    if m is None:
        return None
    month = _month_number(m.group("m"))
    year = int(m.group("my")) if m.group("my") else _year_named(norm, today) or _next_year_of(month, today)
    first = date(year, month, 1)
    args = _month_args(year, month)
    if m.group("before"):
        return Period(today, first, "period_before", args)
    if m.group("until"):
        return Period(today, add_months(first, 1), "period_until", args)
    if m.group("after"):
        return Period(add_months(first, 1), date(year + _FAR, 1, 1), "period_after", args)
    return Period(first, date(year + _FAR, 1, 1), "period_from", args)


def _span(norm: str, today: date) -> Period | None:
    """"March to May", "between April and June 2027", "3到5月", "三月至五月": whole months, both ends included."""
    m = _EN_SPAN.search(norm) or _ZH_SPAN.search(norm)
    if m is None:
        return None
    g = m.groupdict()
    first, last = (("a", "b") if g.get("a") else ("c", "d"))
    a, b = _month_number(m.group(first)), _month_number(m.group(last))
    ay, by = g.get(first + "y"), g.get(last + "y")
    if ay:
        year_a = int(ay)
    elif by:
        year_a = int(by) if a <= b else int(by) - 1  # "Nov to Feb 2028": from November 2027
    else:
        year_a = _year_named(norm, today) or _next_year_of(a, today)
    year_b = int(by) if by else year_a if a <= b else year_a + 1
    return Period(date(year_a, a, 1), add_months(date(year_b, b, 1), 1), "period_months",
                  _month_args(year_a, a) + _month_args(year_b, b, "2"))


def _part_of_year(norm: str, today: date) -> Period | None:
    """A half, a quarter or a season of a year; without a year, the next one that is not mostly over."""
    h, q, season = _HALF.search(norm), _QUARTER.search(norm), _SEASON.search(norm)
    if h is not None:
        second = bool(h.group("h2") or h.group("zh2") or h.group("n") == "2")
        first_month, months, key = (7 if second else 1), 6, "period_half2" if second else "period_half1"
        args: tuple[tuple[str, object], ...] = ()
    elif q is not None:
        n = int(q.group("n")) if q.group("n") else _ORDINAL[q.group("w") or q.group("zh")]
        first_month, months, key, args = 3 * n - 2, 3, "period_quarter", (("quarter", n),)
    elif season is not None and _month(norm, today) is None:  # "next summer, July or August": the months say more
        first_month, months, key = _SEASON_START[season.group("en") or season.group("zh")], 3, "period_season"
        args = tuple(zip(("season", "season_zh"), _SEASON_NAMES[first_month], strict=True))
    else:
        return None
    year = _year_named(norm, today)
    if year is None:
        year = today.year - (first_month == 12 and today.month <= 2)  # in January, "this winter" began in December
        start, end = date(year, first_month, 1), add_months(date(year, first_month, 1), months)
        if (end - today) < (end - start) / 2:
            year += 1
    start = date(year, first_month, 1)
    return Period(start, add_months(start, months), key, (*args, ("year", year)))


def _month(norm: str, today: date) -> Period | None:
    m = MONTH_RE.search(norm)
    month: int | None = None
    year: int | None = None
    if m and not (m.group(2) == "may" and not m.group(1) and not m.group(3)):  # "may I ..." is not May
        month = _month_number(m.group(2))
        year = int(m.group(3)) if m.group(3) else None
        if m.group(1) == "next" and year is None and month <= today.month:
            year = today.year + 1  # "next November", said in November: not this one
    elif zm := ZH_MONTH_RE.search(norm):
        month = _month_number(zm.group(2))
        year = int(zm.group(1)) if zm.group(1) else None
    if month is None:
        return None
    # "明年十一月", "November next year": a year said in words counts, even for a month still to come this year.
    return month_period(year or _year_named(norm, today) or _next_year_of(month, today), month)


# "in two weeks", "三周后": the week that many weeks on (counted from this week's Monday).
_WEEKS_ON = re.compile(r"\bin (two|2|three|3|four|4|a couple of) weeks?\b|\bin a fortnight\b"
                       r"|(两|二|2|三|3|四|4)(个)?(周|星期|礼拜)(以)?后")
# "年底前", "before the end of the year": from today to the year's end.
_YEAR_END = re.compile(r"年底(之|以)?前|年内|\b(before|by) (the )?(end of (the|this) year|year[- ]end)\b")
_WEEK_COUNTS = {"two": 2, "2": 2, "a couple of": 2, "three": 3, "3": 3, "four": 4, "4": 4, "两": 2, "二": 2, "三": 3,
                "四": 4}
_NAMED = re.compile(r"(next|this) (month|week|year)|下个?月|本月|这个月|下周|下星期|下礼拜|本周|这周|这星期|明年|今年"
                    rf"|{_WEEKS_ON.pattern}|{_YEAR_END.pattern}")


def without_periods(norm: str) -> str:
    """The text with every period it names taken out ("before May", "下半年"): what else the message says."""
    for pattern in (_EN_SPAN, _ZH_SPAN, _EN_EDGE, _ZH_EDGE, _HALF, _QUARTER, _SEASON, MONTH_RE, ZH_MONTH_RE, _YEAR_RE,
                    _NAMED):
        norm = pattern.sub(" ", norm)
    return norm


def parse_period(norm: str, today: date) -> Period | None:
    """A period of time named in normalised text: a span of months, a half or quarter, a month, "next month",
    "下周", a year. Spans first: "before May" is not May."""
    month_start = today.replace(day=1)
    if re.search(r"next month|下个?月", norm):
        s = add_months(month_start, 1)
        return Period(s, add_months(s, 1), "period_next_month")
    if re.search(r"this month|本月|这个月", norm):
        return Period(month_start, add_months(month_start, 1), "period_this_month")
    monday = today - timedelta(days=today.weekday())
    if re.search(r"next week|下周|下星期|下礼拜", norm):
        return Period(monday + timedelta(days=7), monday + timedelta(days=14), "period_next_week")
    if re.search(r"this week|本周|这周|这星期", norm):
        return Period(monday, monday + timedelta(days=7), "period_this_week")
    if _YEAR_END.search(norm):
        return Period(today, date(today.year + 1, 1, 1), "period_year_end")
    if (m := _WEEKS_ON.search(norm)) is not None:
        n = _WEEK_COUNTS.get(m.group(1) or m.group(2) or "", 2)  # "a fortnight": two
        return Period(monday + timedelta(days=7 * n), monday + timedelta(days=7 * n + 7), "period_weeks_on",
                      (("n", n),))
    found = _span(norm, today) or _edge(norm, today) or _part_of_year(norm, today) or _month(norm, today)
    if found is not None:
        return found
    year = _year_named(norm, today)
    if year is not None:
        return Period(date(year, 1, 1), date(year + 1, 1, 1), "period_this_year", (("year", year),))
    return None
