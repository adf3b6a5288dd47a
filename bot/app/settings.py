"""Configuration from the environment (and a .env file in the working directory, if there is one)."""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.desk.office_hours import OfficeHours
from bot.desk.tickets import TicketCap
from bot.storage.database import DEFAULT_URL


class SettingsError(ValueError):
    """An environment variable with a value the bot cannot use; the message names it."""


def _number(environ: dict[str, str], name: str, kind: type[int] | type[float], default: float) -> Any:
    raw = environ.get(name) or ""
    if not raw.strip():
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a {'whole ' if kind is int else ''}number, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be above zero, not {raw!r}")
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


# Bot API, setWebhook: secret_token is 1-256 characters, only A-Z, a-z, 0-9, _ and - are allowed.
_TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
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


def _rates(environ: dict[str, str], name: str, default: str) -> str:
    """Rate limits in the `limits` notation ("10/10 seconds;200/hour"): a burst and a sustained rate."""
    raw = (environ.get(name) or "").strip() or default
    from limits import parse_many

    try:
        parse_many(raw)
    except ValueError:
        raise SettingsError(f"{name} must be rate limits like '10 per 10 seconds; 200 per hour', not {raw!r}") from None
    return raw


def _validated(s: Settings) -> Settings:
    """Settings that only make sense together, or whose form the platforms fix, refused by name."""
    try:
        s.hours()
    except ValueError as exc:
        raise SettingsError(f"GASME_OFFICE_HOURS: {exc}") from None
    except Exception:  # zoneinfo raises ZoneInfoNotFoundError (a KeyError) or ValueError for odd names
        raise SettingsError(f"GASME_OFFICE_TZ must be an IANA time zone such as America/New_York, "
                            f"not {s.office_tz!r}") from None
    if s.telegram_webhook_secret is not None and not _TELEGRAM_SECRET.fullmatch(s.telegram_webhook_secret):
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - "
                            "(what Telegram accepts)")
    if s.wechat_aes_key is not None:
        try:
            ok = len(s.wechat_aes_key) == 43 and len(base64.b64decode(s.wechat_aes_key + "=", validate=True)) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise SettingsError("WECHAT_AES_KEY must be the 43-character EncodingAESKey from the WeChat console")
        if not s.wechat_app_id:
            raise SettingsError("WECHAT_AES_KEY needs WECHAT_APP_ID (safe-mode messages are bound to the AppID)")
    if s.secret_key is not None and len(s.secret_key) < 32:
        raise SettingsError("GASME_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`)")
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
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_staff_channel: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    worker_in_process: bool = True
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_max_rate: float = 30.0
    wechat_token: str | None = None
    wechat_app_id: str | None = None
    wechat_app_secret: str | None = None
    wechat_aes_key: str | None = None
    wechat_api_base_url: str = "https://api.weixin.qq.com"
    public_url: str | None = None
    access_log: bool = False
    turn_threads: int = 1
    reminders: str = "7d,1d"  # GASME_REMINDERS: offsets before an event's start
    transcript_days: int = 365  # GASME_TRANSCRIPT_DAYS: transcript lines older than this are deleted
    reload_seconds: float = 3.0  # GASME_RELOAD_SECONDS: how often knowledge files and taught phrasings are checked
    staff_session_hours: float = 12.0  # GASME_STAFF_SESSION_HOURS: a dashboard login lasts this long
    telegram_chat_rate: float = 1.0  # messages per second to one chat (Telegram: about 1)
    web_concurrency: int = 1
    telegram_allow_unverified: bool = False
    secret_key: str | None = None
    metrics_token: str | None = None  # GASME_METRICS_TOKEN: bearer token for /metrics (unset: loopback only)
    redis_url: str | None = None
    rate_session: str = "10 per 10 seconds; 200 per hour"
    rate_address: str = "60 per minute; 2000 per hour"
    tickets_per_session: int = 3
    tickets_per_address: int = 10

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
            slack_bot_token=e.get("SLACK_BOT_TOKEN") or None,
            slack_signing_secret=e.get("SLACK_SIGNING_SECRET") or None,
            slack_staff_channel=e.get("SLACK_STAFF_CHANNEL") or None,
            slack_api_url=e.get("SLACK_API_URL") or cls.slack_api_url,
            worker_in_process=_flag(e, "GASME_WORKER_IN_PROCESS", True),
            telegram_bot_token=e.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_webhook_secret=e.get("TELEGRAM_WEBHOOK_SECRET") or None,
            telegram_api_base_url=e.get("TELEGRAM_API_BASE_URL") or cls.telegram_api_base_url,
            telegram_max_rate=_number(e, "TELEGRAM_MAX_RATE", float, cls.telegram_max_rate),
            wechat_token=e.get("WECHAT_TOKEN") or None,
            wechat_app_id=e.get("WECHAT_APP_ID") or None,
            wechat_app_secret=e.get("WECHAT_APP_SECRET") or None,
            wechat_aes_key=e.get("WECHAT_AES_KEY") or None,
            wechat_api_base_url=e.get("WECHAT_API_BASE_URL") or cls.wechat_api_base_url,
            public_url=(e.get("GASME_PUBLIC_URL") or "").rstrip("/") or None,
            access_log=_flag(e, "GASME_ACCESS_LOG", False),
            turn_threads=_number(e, "GASME_TURN_THREADS", int, 1),
            reminders=_offsets(e.get("GASME_REMINDERS")),
            transcript_days=_number(e, "GASME_TRANSCRIPT_DAYS", int, cls.transcript_days),
            reload_seconds=_number(e, "GASME_RELOAD_SECONDS", float, cls.reload_seconds),
            staff_session_hours=_number(e, "GASME_STAFF_SESSION_HOURS", float, cls.staff_session_hours),
            telegram_chat_rate=_number(e, "TELEGRAM_CHAT_RATE", float, cls.telegram_chat_rate),
            web_concurrency=_number(e, "WEB_CONCURRENCY", int, 1),
            telegram_allow_unverified=_flag(e, "TELEGRAM_ALLOW_UNVERIFIED", False),
            secret_key=e.get("GASME_SECRET_KEY") or None,
            metrics_token=e.get("GASME_METRICS_TOKEN") or None,
            redis_url=e.get("GASME_REDIS_URL") or None,
            rate_session=_rates(e, "GASME_RATE_SESSION", cls.rate_session),
            rate_address=_rates(e, "GASME_RATE_ADDRESS", cls.rate_address),
            tickets_per_session=_number(e, "GASME_TICKETS_PER_SESSION", int, cls.tickets_per_session),
            tickets_per_address=_number(e, "GASME_TICKETS_PER_ADDRESS", int, cls.tickets_per_address),
        ))

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret and self.slack_staff_channel)

    def reminder_offsets(self) -> tuple[Any, ...]:
        from bot.desk.reminders import parse_offsets

        return parse_offsets(self.reminders)

    def hours(self) -> OfficeHours:
        return OfficeHours.parse(self.office_hours, self.office_tz)

    def ticket_cap(self) -> TicketCap:
        return TicketCap(per_member=self.tickets_per_session, per_origin=self.tickets_per_address)

    def telegram_webhook_refusal(self) -> str | None:
        """Why `serve` must not take Telegram webhook calls, or None: without a secret anyone could post forged
        updates, so that takes an explicit opt-in."""
        if self.telegram_bot_token and not self.telegram_webhook_secret and not self.telegram_allow_unverified:
            return ("TELEGRAM_WEBHOOK_SECRET is not set: the webhook would accept forged updates. Set it (and run "
                    "`gasme-bot telegram set-webhook URL`), or set TELEGRAM_ALLOW_UNVERIFIED=1 to accept that")
        return None
