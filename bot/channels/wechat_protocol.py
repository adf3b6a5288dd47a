"""WeChat's message protocol, without the bot: the checks every call passes, the XML of a passive reply, and text
cut to WeChat's byte limit. The steps that need the engine are in bot/channels/wechat.py."""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from starlette.responses import PlainTextResponse, Response

from bot.channels.wechat_crypto import Crypto, sign
from bot.messages import TurnResult

FRESH_SECONDS = 300
MAX_BYTES = 2048  # text content limit per message, in UTF-8 bytes
# custom/send errors meaning "this member cannot be written to now": 45015 outside the 48-hour window, 45047 too
# many messages since the member last wrote, 43004 the member unfollowed.
OUT_OF_WINDOW = (45015, 45047, 43004)

def split_bytes(text: str, limit: int = MAX_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, never cutting a character, preferring line ends."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len((current + line).encode()) <= limit:
            current += line
            continue
        if current:
            pieces.append(current.rstrip("\n"))
            current = ""
        while len(line.encode()) > limit:
            cut = len(line.encode()[:limit].decode("utf-8", errors="ignore"))
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current or not pieces:
        pieces.append(current.rstrip("\n"))
    return pieces


def _field(root: Element, name: str) -> str:
    node = root.find(name)
    return (node.text or "") if node is not None else ""


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def reply_xml(to_user: str, from_user: str, content: str) -> str:
    return (f"<xml><ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(from_user)}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType>{_cdata('text')}</MsgType>"
            f"<Content>{_cdata(content)}</Content></xml>")


def render(result: TurnResult, public_url: str | None = None) -> str:
    """All replies as one text; buttons become numbered options (typing the number chooses it). A file cannot go
    in a text message: with a public address configured, it becomes a link to the same file on our server."""
    parts: list[str] = []
    n = 0
    for reply in result.replies:
        lines = [reply.text]
        for b in reply.buttons:
            n += 1
            lines.append(f"{n}. {b.label}")
        for a in reply.attachments:
            if public_url and a.filename.endswith(".ics"):
                lines.append(f"{public_url}/events/{a.filename}")
            else:
                lines.append(f"[{a.filename}]")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)



class Refused(Exception):
    """A call that gets no answer but its status: 403 for what fails a check, 400 for what cannot be read."""

    def __init__(self, status: int, why: str | None = None):
        super().__init__(why or str(status))
        self.status, self.why = status, why

    def response(self) -> Response:
        return PlainTextResponse("forbidden" if self.status == 403 else "bad request", status_code=self.status)


@dataclass(frozen=True)
class Query:
    """What WeChat puts in the query string of every call."""

    timestamp: str = ""
    nonce: str = ""
    signature: str = ""
    msg_signature: str = ""  # safe mode: signs the Encrypt field too
    safe: bool = False  # encrypt_type=aes
    echostr: str = ""  # the server check (GET)

    @classmethod
    def of(cls, params: Mapping[str, str]) -> Query:
        return cls(params.get("timestamp", ""), params.get("nonce", ""), params.get("signature", ""),
                   params.get("msg_signature", ""), params.get("encrypt_type") == "aes", params.get("echostr", ""))


def verify(token: str, q: Query) -> None:
    """1. The call is signed with our token."""
    if not hmac.compare_digest(sign(token, q.timestamp, q.nonce), q.signature):
        raise Refused(403, "bad signature")


def check_fresh(q: Query, now: float) -> None:
    """2a. Its timestamp is within FRESH_SECONDS of our clock."""
    if not q.timestamp.isdigit() or abs(now - int(q.timestamp)) > FRESH_SECONDS:
        raise Refused(403, f"stale or future timestamp {q.timestamp[:20]!r} refused")


def check_mode(q: Query, crypto: Crypto | None) -> None:
    """2b. With an AES key configured, only encrypted messages are accepted."""
    if crypto is not None and not q.safe:
        raise Refused(403, "plaintext message refused (WECHAT_AES_KEY is set: safe mode only)")


