"""The channels the app is made of. A new channel is its module in bot/channels/ and one line here."""

from __future__ import annotations

from typing import Any

from bot.channels import slack, telegram, webchat, wechat
from bot.channels.contract import Adapter

CHANNELS: tuple[Adapter[Any], ...] = (
    webchat.ADAPTER,
    telegram.ADAPTER,
    wechat.ADAPTER,
    slack.ADAPTER,
)
