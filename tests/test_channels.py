"""The channel contract (bot/channels/contract.py): every registered channel has the same shape, its settings
section is read from the environment like every other, and the app takes exactly the configured channels."""

from __future__ import annotations

import dataclasses
import importlib

import pytest
from sqlalchemy import Engine

from bot.app.registry import CHANNELS
from bot.app.settings import Settings, SettingsError
from bot.app.wiring import senders_for, worker_for
from bot.channels.contract import Section
from bot.channels.slack import SlackSettings
from bot.channels.telegram import TelegramSettings
from bot.channels.webchat import WebSettings
from bot.channels.wechat import WeChatSettings
from bot.understanding.knowledge_base import Library
from tests.conftest import TestBot


def test_every_registered_channel_has_the_one_shape() -> None:
    assert [a.name for a in CHANNELS] == ["web", "telegram", "wechat", "slack"]
    for adapter in CHANNELS:
        module = importlib.import_module(adapter.mount.__module__)
        assert module.ADAPTER is adapter and adapter.name == module.CHANNEL
        assert issubclass(adapter.section, Section) and dataclasses.is_dataclass(adapter.section)
        assert all("env" in f.metadata for f in dataclasses.fields(adapter.section)), adapter.name
    assert [a.name for a in CHANNELS if a.staff] == ["slack"]


def test_sections_are_read_from_the_environment_by_field_type() -> None:
    s = Settings.from_env({"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_MAX_RATE": "12.5",
                           "TELEGRAM_ALLOW_UNVERIFIED": "yes", "WECHAT_TOKEN": "  ", "SLACK_BOT_TOKEN": "xoxb"})
    assert s.section(TelegramSettings) == TelegramSettings("123:abc", None, "https://api.telegram.org", 12.5, 1.0,
                                                           True)
    assert s.section(WeChatSettings) == WeChatSettings()  # blank is unset
    assert s.section(SlackSettings).bot_token == "xoxb" and not s.section(SlackSettings).configured
    assert s.section(WebSettings) == WebSettings()
    assert [a.name for a, _ in s.channels_on()] == ["web", "telegram"]
    assert s.telegram_bot_token == "123:abc" and not s.slack_enabled


@pytest.mark.parametrize(("environ", "says"), [
    ({"TELEGRAM_CHAT_RATE": "0"}, "TELEGRAM_CHAT_RATE must be above zero"),
    ({"TELEGRAM_ALLOW_UNVERIFIED": "maybe"}, "TELEGRAM_ALLOW_UNVERIFIED must be 1 or 0"),
    ({"TELEGRAM_WEBHOOK_SECRET": "no spaces please"}, "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters"),
    ({"WECHAT_AES_KEY": "short"}, "WECHAT_AES_KEY must be the 43-character EncodingAESKey"),
    ({"WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}, "WECHAT_AES_KEY needs WECHAT_APP_ID"),
    ({"GASME_RATE_SESSION": "lots"}, "GASME_RATE_SESSION must be rate limits"),
])
def test_a_bad_channel_setting_is_refused_by_name(environ: dict[str, str], says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        Settings.from_env(environ)


def test_serve_refuses_telegram_without_a_secret_unless_told(library: Library, db: Engine) -> None:
    from bot.app.server import create_app

    engine = TestBot(library, db).engine
    with pytest.raises(SettingsError, match="TELEGRAM_WEBHOOK_SECRET is not set"):
        create_app(Settings(channels=(TelegramSettings("123:abc"),), worker_in_process=False), engine)
    create_app(Settings(channels=(TelegramSettings("123:abc", allow_unverified=True),), worker_in_process=False),
               engine)


def test_the_worker_takes_the_configured_pushing_channels(library: Library, db: Engine) -> None:
    engine = TestBot(library, db).engine
    assert senders_for(Settings(), db) == {}
    both = Settings(channels=(TelegramSettings("123:abc"), WeChatSettings("tok", "wx", "secret")))
    assert sorted(senders_for(both, db)) == ["telegram", "wechat"]
    passive_only = Settings(channels=(WeChatSettings("tok"),))  # no AppID and secret: no customer-service API
    assert senders_for(passive_only, db) == {}
    # Ticket posts for a staff channel that is off would wait forever: the worker drops them.
    assert worker_for(Settings(), engine).skip_channels == ("slack",)
    on = worker_for(Settings(channels=(SlackSettings("xoxb", "s", "C1"),)), engine)
    assert on.skip_channels == () and "slack" in on.senders and on.timers is not None and on.timers.library
