"""Configuration from the environment (and a .env file in the working directory, if there is one)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.desk.office_hours import OfficeHours
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
    telegram_chat_rate: float = 1.0  # messages per second to one chat (Telegram: about 1)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        if environ is None:
            from dotenv import load_dotenv

            load_dotenv(Path.cwd() / ".env", override=False)
            environ = dict(os.environ)
        e = environ
        knowledge = e.get("GASME_KNOWLEDGE_DIR")
        return cls(
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
            worker_in_process=(e.get("GASME_WORKER_IN_PROCESS", "1") not in ("0", "false", "no")),
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
            access_log=(e.get("GASME_ACCESS_LOG", "0") not in ("0", "false", "no", "")),
            turn_threads=_number(e, "GASME_TURN_THREADS", int, 1),
            reminders=_offsets(e.get("GASME_REMINDERS")),
            transcript_days=_number(e, "GASME_TRANSCRIPT_DAYS", int, cls.transcript_days),
            telegram_chat_rate=_number(e, "TELEGRAM_CHAT_RATE", float, cls.telegram_chat_rate),
        )

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token and self.slack_signing_secret and self.slack_staff_channel)

    def reminder_offsets(self) -> tuple[Any, ...]:
        from bot.desk.reminders import parse_offsets

        return parse_offsets(self.reminders)

    def hours(self) -> OfficeHours:
        return OfficeHours.parse(self.office_hours, self.office_tz)
