"""The email channel: outbox rows of channel "email" (composed by bot/desk/mail.py) to MIME, to an SMTP server
with aiosmtplib. Translation only: what to say was decided when the row was written.

GASME_SMTP_URL says where and how: `smtp+starttls://user:pass@host:587` (plain connection upgraded with
STARTTLS, which is then required), `smtps://user:pass@host:465` (TLS from the first byte) or `smtp://host:25`
(no TLS: a relay on the same machine or network). User and password are URL-encoded where they hold `@`, `:` or
`/`. A failed send raises, and the worker retries it with back-off.
"""

from __future__ import annotations

import asyncio
import base64
import threading
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import unquote, urlsplit

from bot.channels.contract import Adapter, Deliver, Delivery, Mounted, Section, Serving, env
from bot.messages import Outgoing

CHANNEL = "email"
SCHEMES = {"smtp+starttls": ("starttls", 587), "smtps": ("tls", 465), "smtp": ("none", 25)}
TIMEOUT = 10.0  # seconds; the outbox's lease is far longer


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # starttls | tls | none
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never print the password
        return f"SmtpConfig({self.security}://{self.host}:{self.port}, user={self.username!r})"


def parse_smtp_url(url: str) -> SmtpConfig:
    """The settings of GASME_SMTP_URL; ValueError says what is wrong with it."""
    parts = urlsplit(url.strip())
    if parts.scheme not in SCHEMES:
        raise ValueError(f"must start with smtp+starttls://, smtps:// or smtp://, not {parts.scheme + '://'!r}")
    if not parts.hostname:
        raise ValueError("names no host")
    security, default_port = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    return SmtpConfig(parts.hostname, port, security, unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None)


def check_sender(raw: str) -> str:
    """GASME_MAIL_FROM as given ("GASME <events@gasme.org>" or a bare address); ValueError if it has no address."""
    _, addr = parseaddr(raw)
    if "@" not in addr or not addr.split("@")[1]:
        raise ValueError(f"must be an email address such as 'GASME Events <events@example.org>', not {raw!r}")
    return raw.strip()


def to_mime(item: Outgoing, sender: str) -> EmailMessage:
    """The row's email: text and HTML alternatives, then the attachments (the .ics)."""
    p = item.payload
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = Address(addr_spec=str(p["to"]))
    msg["Subject"] = str(p["subject"])
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=f"outbox-{item.id}", domain=parseaddr(sender)[1].split("@")[-1])
    msg["Content-Language"] = "zh-CN" if p.get("lang") == "zh" else "en"
    msg.set_content(str(p["text"]), charset="utf-8")
    msg.add_alternative(str(p["html"]), subtype="html", charset="utf-8")
    for att in p.get("attachments") or []:
        maintype, _, subtype = str(att["mime_type"]).partition("/")
        params = {"method": str(att["method"])} if att.get("method") else {}
        msg.add_attachment(base64.b64decode(att["data_base64"]), maintype=maintype, subtype=subtype,
                           filename=str(att["filename"]), params=params)
    return msg


class EmailSender:
    """The outbox delivery function of channel "email" (one SMTP session per email: they are few).

    Sends run on an event loop of the sender's own, in a thread, started on first use and kept: a TLS
    connection finishes closing a few loop turns after QUIT, which a loop made and closed per email would cut
    short, leaving the socket open."""

    def __init__(self, config: SmtpConfig, sender: str, timeout: float = TIMEOUT):
        self.config, self.sender, self.timeout = config, sender, timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="smtp", daemon=True).start()
            return self._loop

    def deliver(self, item: Outgoing) -> None:
        done = asyncio.run_coroutine_threadsafe(self.send(to_mime(item, self.sender)), self._running_loop())
        done.result(timeout=self.timeout * 4)  # connect, greeting, TLS, data: each bounded by `timeout`

    async def send(self, msg: EmailMessage) -> None:
        import aiosmtplib  # only where email is on

        c = self.config
        await aiosmtplib.send(msg, hostname=c.host, port=c.port, username=c.username, password=c.password,
                              use_tls=c.security == "tls", start_tls=c.security == "starttls",
                              timeout=self.timeout)


@dataclass(frozen=True)
class EmailSettings(Section):
    smtp_url: str | None = env("GASME_SMTP_URL")
    mail_from: str | None = env("GASME_MAIL_FROM")

    @property
    def configured(self) -> bool:
        return bool(self.smtp_url)

    def problem(self) -> str | None:
        if self.smtp_url is not None:
            try:
                parse_smtp_url(self.smtp_url)
            except ValueError as exc:
                return f"GASME_SMTP_URL {exc}"
            if self.mail_from is None:
                return "GASME_SMTP_URL needs GASME_MAIL_FROM (the address emails come from)"
        if self.mail_from is not None:
            try:
                check_sender(self.mail_from)
            except ValueError as exc:
                return f"GASME_MAIL_FROM {exc}"
        return None


def mount(section: EmailSettings, serving: Serving) -> Mounted:
    """Email takes no requests: the page behind its links belongs to the app (bot/app/registration_page.py)."""
    return Mounted((), "email (SMTP)")


def sender(section: EmailSettings, delivery: Delivery) -> Deliver:
    assert section.smtp_url and section.mail_from
    return EmailSender(parse_smtp_url(section.smtp_url), section.mail_from).deliver


ADAPTER = Adapter(CHANNEL, EmailSettings, mount, sender,
                  off_hint="email: off, no registration emails are queued (set GASME_SMTP_URL and GASME_MAIL_FROM)")
