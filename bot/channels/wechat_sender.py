"""WeChat's customer-service message API, for what can't be a passive reply: late answers, staff replies,
notices. Only the worker sends, so only it loads this module."""

from __future__ import annotations

import json
import threading
import time
import weakref
from typing import TYPE_CHECKING

from bot.channels.wechat_protocol import OUT_OF_WINDOW, split_bytes
from bot.messages import Outgoing, Unreachable

if TYPE_CHECKING:
    import httpx

class WeChatSender:
    """Customer-service messages for the outbox (late answers, staff replies, notices). Raises to be retried."""

    def __init__(self, app_id: str, app_secret: str, api_base: str):
        self.app_id, self.app_secret, self.api_base = app_id, app_secret, api_base.rstrip("/")
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()
        import httpx  # here, not above: only the worker sends

        # One client for the worker's life: building one loads the TLS trust store (~30 ms), more than a send.
        self.http = httpx.Client(timeout=10)
        weakref.finalize(self, self.http.close)

    def _access_token(self, http: httpx.Client) -> str:
        with self._lock:
            if self._token and time.monotonic() < self._expires:
                return self._token
            r = http.get(f"{self.api_base}/cgi-bin/token", params={
                "grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret})
            data = r.json()
            if "access_token" not in data:
                raise RuntimeError(f"wechat token: {data.get('errcode')} {data.get('errmsg')}")
            self._token = str(data["access_token"])
            self._expires = time.monotonic() + int(data.get("expires_in", 7200)) - 300
            return self._token

    def deliver(self, item: Outgoing) -> None:
        # A text message carries no button or file: the payload's text_only says how to do the same by typing.
        text = str(item.payload.get("text_only") or item.payload.get("text", ""))
        http = self.http
        for piece in split_bytes(text):
            token = self._access_token(http)
            body = {"touser": item.chat_id or item.user_id, "msgtype": "text", "text": {"content": piece}}
            r = http.post(f"{self.api_base}/cgi-bin/message/custom/send", params={"access_token": token},
                          content=json.dumps(body, ensure_ascii=False).encode(),
                          headers={"Content-Type": "application/json"})
            data = r.json()
            if data.get("errcode", 0) in (40001, 42001):  # token expired early: fetch a new one next time
                self._token = None
            if data.get("errcode", 0) in OUT_OF_WINDOW:
                raise Unreachable(f"wechat custom/send: {data.get('errcode')} {data.get('errmsg')}")
            if data.get("errcode", 0) != 0:
                raise RuntimeError(f"wechat custom/send: {data.get('errcode')} {data.get('errmsg')}")


