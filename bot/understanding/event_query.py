"""Read what a member asks of the calendar: which events (by name or series), where, and when.

The calendar is structured data, so this is rules, not fuzzy guessing: places and periods are recognised from
names and patterns; event names are matched word by word against the titles of the calendar.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz, process

from bot.messages import Lang
from bot.understanding import event_topics, places, text, world_cities
from bot.understanding.calendar_words import (
    DETAIL_WORDS,
    EVENT_WORDS,
    ICS_WORDS,
    NOT_COMING,
    OUTSIDE,
    TURNED_DOWN,
    UPCOMING_WORDS,
    WHAT_IS,
    WHEN_RECEIVED,
    WHEN_WHERE,
)
from bot.understanding.knowledge_files import Event
from bot.understanding.periods import MONTH_RE, ZH_MONTH_RE, Period, parse_period, without_periods
from bot.understanding.short_names import followed, zh_titles
from bot.understanding.synonyms import PhraseTable

_SENTENCES = re.compile(r"(?<=[.!?])\s+|[。！？]")
_CLAUSES = re.compile(r"[,;.!?，。；！？]|\bbut\b")
# Words that never help tell one event title from another.
_TITLE_NOISE = frozenset(text.EN_STOPWORDS - {"us"}) | text.ZH_STOPWORDS | frozenset(
    """event upcom come next calendar schedul soon detail info inform ics date day time venu locat held take place
    plan year month week dress 活动 举行 举办 召开 日程 日历 时间 日期 地点 哪里 什么时候 详情 介绍 近期 即将 最近
    下个月 这个月 本月 下月 今年 明年 会议 参加 报名 register regist registr sign up enrol rsvp book happen go on
    new 我想 我要 想 要 帮我 open start begin end finish close 开始 开幕 结束 闭幕 几号 哪天 几点 办 在哪 哪
    情况 信息 info only onli just one ones pleas please pls those these 只 只要 只看 看看 还有 呢 那
    几场 哪几 讲 内容 join attend cover 行 就行 就好 都行 也行 saw seen heard hear notic 看到 听说 听到 看见""".split()
)  # (the last: how the member came to know of it, "I saw there's a mission to Vietnam next year, details?")
# Words titles share with everyday talk about companies ("Business" in "Business Matchmaking", "SME", "Global"): they
# add to a name ("business matchmaking") but name no event on their own ("Company 15", "my business", "中小企业").
_GENERIC_TITLE_WORDS = frozenset(
    "business company enterprise sme global world international development trade industry "
    "企业 公司 中小企业 全球 国际 发展".split()
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Stems of EVENT_WORDS, so that "events in Europe" leaves no residue.
_EVENT_TOKENS = frozenset("event confer expo summit forum 活动 会议 展会 博览会 论坛 峰会".split())


@dataclass
class EventQuery:
    countries: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)
    cities: set[str] = field(default_factory=set)  # English city names, lower-cased, of calendar events
    period: Period | None = None
    titled: list[Event] = field(default_factory=list)  # events the member named
    upcoming: bool = False  # "upcoming", "calendar", "近期" ...
    event_word: bool = False  # "event", "conference", "活动" ...
    when_where: bool = False
    wants_ics: bool = False
    wants_details: bool = False
    asks_what: bool = False  # "what's the ...", "...是干嘛的"

    outside: bool = False  # the places named are the ones left out ("only the ones outside Singapore", "除了中国以外")
    residue: list[str] = field(default_factory=list)  # the message's words that are not place, time or event words
    narrowed: bool = False  # a list's query with a follow-up's filter added: none left means none, not the series

    @property
    def has_place(self) -> bool:
        return bool(self.countries or self.regions or self.cities)

    @property
    def has_filters(self) -> bool:
        return self.has_place or bool(self.period)

    @property
    def only_the_calendar_answers(self) -> bool:
        """A named event with a when, where, period or calendar file, or "upcoming" or an event word with a place or
        time: the calendar claims these above any intent (handlers/events.py, `Priority.CALENDAR_QUESTION` or
        higher), so the turn never reads their meaning."""
        return bool((self.titled and (self.when_where or self.wants_ics or self.upcoming or self.period))
                    or self.upcoming or (self.event_word and self.has_filters))

    def place_label(self, lang: Lang, city_names: dict[str, str]) -> str:
        names = [city_names.get(c, c) for c in sorted(self.cities)]
        names += [places.country_name(c, lang) for c in sorted(self.countries)]
        names += [places.region_name(r, lang) for r in sorted(self.regions)]
        # a city-state is its country too ("新加坡", not "新加坡、新加坡")
        return ("、" if lang == "zh" else ", ").join(dict.fromkeys(names))

    def listing(self) -> dict[str, Any]:
        """The query's filters as JSON: what a list was drawn from, kept so that "only in March" can narrow it."""
        p = self.period
        period = [p.start.isoformat(), p.end.isoformat(), p.label_key, [list(a) for a in p.label_args]] if p else None
        return {"countries": sorted(self.countries), "regions": sorted(self.regions), "cities": sorted(self.cities),
                "outside": self.outside, "period": period, "series": [e.id for e in self.titled]}

    def narrowing(self, listing: dict[str, Any], event_by_id: Callable[[str], Event | None]) -> EventQuery:
        """The query of a list in view (`listing`) with this query's filters added: a place or a time named here
        replaces the list's own place or time; the rest of the list's query stays."""
        q = EventQuery(when_where=True, event_word=True, narrowed=self.has_filters)
        if self.has_place:
            q.countries, q.regions, q.cities = set(self.countries), set(self.regions), set(self.cities)
            q.outside = self.outside
        else:
            q.countries = set(listing.get("countries") or ())
            q.regions = set(listing.get("regions") or ())
            q.cities = set(listing.get("cities") or ())
            q.outside = bool(listing.get("outside"))
        q.period = self.period or _period_of(listing.get("period"))
        series = self.titled or [e for e in map(event_by_id, listing.get("series") or ()) if e is not None]
        q.titled = series
        return q

    def matches_place(self, event: Event) -> bool:
        if not self.has_place:
            return True
        inside = bool((event.city and _fold(event.city.en) in self.cities)
                      or (event.country and event.country in self.countries)
                      or any(event.country in places.region_countries(r) for r in self.regions if event.country))
        return inside != self.outside


def _period_of(stored: Any) -> Period | None:
    if not isinstance(stored, list) or len(stored) != 4:
        return None
    start, end, key, args = stored
    return Period(date.fromisoformat(start), date.fromisoformat(end), key, tuple((k, v) for k, v in args))


def _without(norm: str, countries: set[str]) -> str:
    """The message without the names of these countries (their codes too: "the US")."""
    for code in countries:
        for name in (*places.all_names(code), code):
            norm = re.sub(rf"(?<![a-z]){re.escape(name.lower())}(?![a-z])", " ", norm)
    return norm


# Other names members use for a calendar's cities: former names, and short forms as common as the name itself.
_OTHER_CITY_NAMES: dict[str, tuple[str, ...]] = {
    "ho chi minh city": ("saigon", "hcmc", "西贡"),
    "mumbai": ("bombay",),
    "chennai": ("madras",),
    "kolkata": ("calcutta",),
    "guangzhou": ("canton",),
    "new york": ("nyc",),
    "new york city": ("nyc",),
    "los angeles": ("la",),
    "kuala lumpur": ("kl",),
}


def _fold(s: str) -> str:
    """Lower-case without accents: "São Paulo" and "Sao Paulo" are the same city."""
    decomposed = unicodedata.normalize("NFKD", s.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _common_words(tokens: Callable[[str], set[str]], entries: Sequence[Sequence[str]], share: float = 0.45) -> set[str]:
    """The words of `share` of the entries or more; read from at most about 2,000 entries, evenly spread, so that a
    large knowledge base does not tokenise all its texts a second time at start-up (its FAQ index already has)."""
    if len(entries) < 4:
        return set()
    sample = entries[:: max(1, len(entries) // 2000)]
    counts = Counter(tok for texts in sample for tok in set().union(*(tokens(t) for t in texts)))
    return {tok for tok, c in counts.items() if c >= share * len(sample)}


class EventMatcher:
    """Recognises calendar questions against one calendar. `faq_texts`: each FAQ entry's questions and answers, to
    find the words the whole knowledge uses."""

    def __init__(self, events: tuple[Event, ...], synonyms: Sequence[Sequence[str]] = (),
                 faq_texts: Sequence[Sequence[str]] = ()):
        self.events = events
        self._phrases = PhraseTable(synonyms)
        # Noise words stay noise after synonym folding ("register" and "sign up" both become one token).
        self._noise = _TITLE_NOISE | {tok for w in _TITLE_NOISE for tok in self._phrases.fold([w])}
        self._generic = {tok for w in _GENERIC_TITLE_WORDS for tok in self._phrases.fold(text.content_tokens(w))}
        # Titles prepared once, not per message: without the year for typo matching, and folded for place checks.
        self._title_cores = [(ev, core) for ev in events for title in ev.title.all()
                             if len(core := text.normalize(re.sub(r"20\d\d", "", title)).strip()) >= 6]
        self._zh_cores = [(ev, core) for ev in events for title in zh_titles(ev)
                          if len(core := "".join(_CJK.findall(text.normalize(title)))) >= 3]
        self._folded_titles = {ev.id: " ".join(_fold(text.normalize(tt)) for tt in ev.title.all()) for ev in events}
        self._title_tokens = [self._title_words(ev) for ev in events]
        df = Counter(tok for toks in self._title_tokens for tok in toks)
        # Words one title alone has in the calendar ("CE", "认证"): they tell its event from the others.
        self._own_title_words = {ev.id: {tok for tok in toks if df[tok] == 1}
                                 for ev, toks in zip(events, self._title_tokens, strict=True)}
        n = max(len(events), 1)
        self._idf = {tok: math.log(1 + n / c) for tok, c in df.items()}
        self._place_tokens = self._collect_place_tokens()
        # Words that alone never name an event: places, generic title words ("Company 15"), and those of half the
        # FAQ's entries, such as the association's name ("when did ESMC start?" is not about the "ESMC Autumn Forum").
        self._not_naming = self._place_tokens | self._generic | _common_words(self._tokens, faq_texts)
        self.topics = event_topics.EventTopics(events, self._tokens, self._not_naming)  # titles and descriptions
        self.city_aliases: dict[str, str] = {}  # alias (folded) -> English city name (folded)
        self.city_display: dict[Lang, dict[str, str]] = {"en": {}, "zh": {}}
        for ev in events:
            if not ev.city:
                continue
            key = _fold(ev.city.en)
            self.city_display["en"][key] = ev.city.en
            self.city_display["zh"][key] = ev.city.get("zh")
            for alias in {ev.city.en, ev.city.en.split(",")[0], *(ev.city.all())}:
                folded = _fold(text.normalize(alias))
                self.city_aliases[folded] = key
                # "Ho Chi Minh" for Ho Chi Minh City, "胡志明" for 胡志明市: members drop the word for city
                short = re.sub(r" city$|(?<=..)市$", "", folded)
                if short != folded and (" " in short or text.has_cjk(short)):
                    self.city_aliases[short] = key
            for alias in _OTHER_CITY_NAMES.get(key, ()):
                self.city_aliases[alias] = key
            if key.startswith("washington"):
                self.city_aliases["dc"] = key
        # Cities of no event in the calendar, where a message places an event ("the Osaka trade mission"): nothing
        # is held there, rather than whatever else fits.
        self._elsewhere = world_cities.CityFinder(set(self.city_aliases))
        for key, (en, zh) in world_cities.CITIES.items():
            self.city_display["en"].setdefault(key, en)
            self.city_display["zh"].setdefault(key, zh)
        # Chinese aliases are found as substrings; the others as whole words, all with one pattern (a lookahead,
        # so that overlapping names are all found), longest first.
        self._cjk_cities = [(alias, key) for alias, key in self.city_aliases.items() if text.has_cjk(alias)]
        latin = sorted((a for a in self.city_aliases if not text.has_cjk(a)), key=len, reverse=True)
        self._latin_cities = (re.compile(r"(?<![a-z])(?=(" + "|".join(map(re.escape, latin)) + r")(?![a-z]))")
                              if latin else None)

    def _title_words(self, ev: Event) -> set[str]:
        """The words of an event's titles in every language, without the year."""
        toks: set[str] = set()
        for title in ev.title.all():
            # "Meet-up" is also "meetup", "E-commerce" "ecommerce"
            toks |= self._tokens(re.sub(r"20\d\d", " ", title)) | self._tokens(re.sub(r"(?<=\w)-(?=\w)", "", title))
        # The words inside a Chinese compound of a title: "标签培训" names "食品标签实务培训"
        return toks | {part for tok in toks for part in text.subwords(tok) if part not in self._noise}

    def words_shared(self, norm: str, events: Sequence[Event]) -> set[str]:
        """The words of a normalised message that these events' titles have."""
        toks = self._tokens(norm)
        return {tok for i, ev in enumerate(self.events) if ev in events for tok in toks & self._title_tokens[i]}

    def own_title_words(self, event: Event) -> set[str]:
        """The words of the event's title that no other title in the calendar has."""
        return self._own_title_words.get(event.id, set())

    def unexplained(self, q: EventQuery) -> list[str]:
        """The words of a parsed message that neither the calendar's own words nor any event's title explain: what
        else the message is about ("logo", "sponsorship", "level" beside the summit)."""
        return [w for w in q.residue if w not in self._idf]

    def _tokens(self, s: str) -> set[str]:
        words = [w for w in text.words(text.normalize(s))
                 # English stop words also as stems ("does" -> "doe"); "us" may be the country in a title.
                 if w not in _TITLE_NOISE and not w.isdigit() and (w == "us" or not w.isascii()
                                                                  or not text.is_stopword(w))]
        return {tok for tok in self._phrases.fold(words) if tok not in self._noise}

    def _collect_place_tokens(self) -> set[str]:
        names: list[str] = []
        for en, zh in places.COUNTRIES.values():
            names += [*en, *zh]
        for en, zh, _ in places.REGIONS.values():  # "Europe" in "Europe-China ..." is a place, not a name
            names += [*en, *zh]
        for ev in self.events:
            if ev.city:
                names += [*ev.city.all(), *_OTHER_CITY_NAMES.get(_fold(ev.city.en), ())]  # "LA" is a place too
        # Accents folded too: "Sao Paulo" is as much a place as "São Paulo".
        return {tok for name in names for tok in self._tokens(name) | self._tokens(_fold(name))}

    def countries_of_cities_in(self, said: str) -> set[str]:
        """The countries of the calendar's cities that a text names ("the Ho Chi Minh City office": Vietnam)."""
        cities = self._find_cities(_fold(text.normalize(said)))
        return {ev.country for ev in self.events if ev.city and ev.country and _fold(ev.city.en) in cities}

    def _find_cities(self, folded: str) -> set[str]:
        found = {key for alias, key in self._cjk_cities if alias in folded}
        if self._latin_cities is not None:
            found.update(self.city_aliases[m.group(1)] for m in self._latin_cities.finditer(folded))
        return found

    def match_titles(self, norm: str, fuzzy: bool = True, asks_calendar: bool = False) -> list[Event]:
        """Events whose title the message names, best first; ties (a whole series) all returned. `fuzzy`: names
        with typos too. `asks_calendar` (the message asks when, where or for details): Chinese short names too,
        and a place beside a name ("the Frankfurt partnership week") narrows the series rather than diluting it."""
        qtoks = self._tokens(norm)
        if not qtoks:
            return []
        named = ((qtoks - self._place_tokens) or qtoks) if asks_calendar else qtoks
        total = sum(self._idf.get(tok, math.log(1 + len(self.events))) for tok in named)
        scored: list[tuple[float, int]] = []
        for i, toks in enumerate(self._title_tokens):
            shared = qtoks & toks
            # A title named only by its place ("China" in "US-China ...") is a place filter, not a name; one named
            # only by generic words ("Company 15" shares "business" through synonyms) is not named at all.
            if not shared or shared <= self._not_naming:
                continue
            cov = sum(self._idf[tok] for tok in shared) / total
            scored.append((cov, i))
        best = max((c for c, _ in scored), default=0.0)
        if best < 0.6:
            short = self._short_names(norm) if asks_calendar else []
            return short or (self._fuzzy_titles(norm) if fuzzy else [])
        return [self.events[i] for c, i in sorted(scored, reverse=True) if c >= best - 0.05]

    def _short_names(self, norm: str) -> list[Event]:
        """Chinese short names: the series without the year, the country pair kept short ("中美合作周" for
        "2027中美中小企业合作周", "博览会"). The title's last two characters must be in the message; from there, the
        message's characters are followed leftwards through the title, in blocks of two or more. The events with
        the most characters followed (three at least) are named; a tie is a series."""
        if not text.has_cjk(norm):
            return []
        scored = [(score, ev) for ev, core in self._zh_cores if (score := followed(norm, core)) >= 3]
        best = max((score for score, _ in scored), default=0)
        return list(dict.fromkeys(ev for score, ev in scored if score == best))

    def _fuzzy_titles(self, norm: str) -> list[Event]:
        """Typos in a name ("globel sme expo"): compare characters instead of words."""
        if len(norm) < 6:
            return []
        # Titles much longer than the message cannot be what it names; rapidfuzz scores the rest in one call.
        cores = [(ev, core) for ev, core in self._title_cores if len(norm) >= 0.6 * len(core)]
        found = process.extract(norm, [core for _, core in cores], scorer=fuzz.partial_ratio, processor=None,
                                score_cutoff=88, limit=None)
        if not found:
            return []
        top = max(score for _, score, _ in found)
        return list(dict.fromkeys(cores[i][0] for _, score, i in found if score >= top - 2))

    def _names_beside(self, rest: str, titled: list[Event]) -> bool:
        """Whether `rest` (the message without its places) still shares a word with one of these titles."""
        toks = self._tokens(rest)
        return any(toks & self._title_tokens[i] for i, ev in enumerate(self.events) if ev in titled)

    def parse(self, original: str, now: datetime) -> EventQuery:
        """The message's query; a clause that turns a place down ("only the ones in Asia please, NZ is too far for
        us") is left out, and its places are the ones left out where the rest names none ("NZ is too far for us")."""
        if not TURNED_DOWN.search(text.normalize(original)):
            return self._parse(original, now)  # (most messages: no clause to look for)
        clauses = [c for c in _CLAUSES.split(original) if c.strip()]
        turned_down = [c for c in clauses if TURNED_DOWN.search(text.normalize(c))]
        down = self._parse(" ".join(turned_down), now) if turned_down else None
        if down is None or not down.has_place:
            return self._parse(original, now)
        q = self._parse(" ".join(c for c in clauses if c not in turned_down) or " ", now)
        if not q.has_place:
            q.countries, q.regions, q.cities, q.outside = down.countries, down.regions, down.cities, True
        return q

    def _parse(self, original: str, now: datetime) -> EventQuery:
        norm = text.normalize(original)
        folded = _fold(norm)
        q = EventQuery()
        q.countries = places.find_countries(folded, text.clean(original))
        q.regions = places.find_regions(folded, text.clean(original))
        elsewhere = self._elsewhere.placing_an_event(folded)
        q.cities = self._find_cities(folded) | elsewhere
        q.outside = bool(OUTSIDE.search(norm)) and q.has_place
        q.period = parse_period(norm, now.date())
        # Character-level matching for misspelt names is the costly part; only where the message is about events.
        q.upcoming = bool(UPCOMING_WORDS.search(norm))
        q.event_word = bool(EVENT_WORDS.search(norm)) and not NOT_COMING.search(norm)
        q.when_where = bool(WHEN_WHERE.search(WHEN_RECEIVED.sub(" ", norm)))
        q.wants_ics = bool(ICS_WORDS.search(norm))
        q.wants_details = bool(DETAIL_WORDS.search(norm))
        q.asks_what = bool(WHAT_IS.search(norm))
        calendar_words = q.event_word or q.when_where or q.wants_ics or q.wants_details
        asks = q.when_where or q.wants_ics or q.wants_details or q.upcoming or (q.asks_what and q.has_filters)
        q.titled = self.match_titles(norm, fuzzy=calendar_words, asks_calendar=asks)
        if not q.titled and asks and len(sentences := [s for s in _SENTENCES.split(norm) if s.strip()]) > 1:
            # The sentence that asks names the event among the others' words ("We are a Dutch buyer of PCB assemblies.
            # Tell me about the supplier matchmaking in Shenzhen in April"): its own title, last sentence first.
            q.titled = next((found for s in reversed(sentences) if (found := self.match_titles(s, False, True))), [])
        # "US-China" names a series, not the country: a place named only inside a matched title is not a filter.
        if q.titled and q.countries and not self._names_beside(_without(norm, q.countries), q.titled):
            q.titled = []  # "only the ones in the US": the words shared with titles were the place's own
        if q.titled:
            title_text = " ".join(self._folded_titles[ev.id] for ev in q.titled)
            q.countries = {c for c in q.countries if not places.find_names(places.all_names(c), title_text, "")}
        q.residue = [w for w in self._phrases.fold(text.content_tokens(without_periods(norm)))
                     if w not in self._place_tokens and w not in _TITLE_NOISE and w not in _EVENT_TOKENS
                     and not MONTH_RE.fullmatch(w) and not ZH_MONTH_RE.fullmatch(w) and not w.isdigit()]
        if elsewhere:
            names = {tok for key in elsewhere for name in world_cities.CITIES[key] for tok in self._tokens(_fold(name))}
            q.residue = [w for w in q.residue if w not in names]
        return q
