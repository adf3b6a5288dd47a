"""A real SMTP server on a free loopback port (aiosmtpd), for the email channel's tests: the real client
(aiosmtplib) talks to it over TLS (STARTTLS, or TLS from the start) with a login, and tests read what it
received, parsed as a mail client would. Its certificate is made here, for 127.0.0.1; the client trusts it
through SSL_CERT_FILE, as an operator would point it at a private CA."""

from __future__ import annotations

import contextlib
import email
import email.policy
import ipaddress
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.fakes import free_port

USER, PASSWORD = "bot", "s3cret:pass"


@dataclass
class Inbox:
    """What the server accepted. `fail` makes it refuse every message (a mail server having trouble)."""

    received: list[tuple[Envelope, EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    fail: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        if self.fail:
            return "451 4.3.0 try again later"
        assert isinstance(envelope.content, bytes)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        with self.lock:
            self.received.append((envelope, msg))
        return "250 OK"

    def authenticate(self, server: Any, session: Session, envelope: Envelope, mechanism: str,
                     auth_data: Any) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(), PASSWORD.encode())
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok)

    def messages(self, at_least: int = 1, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.received) < at_least and time.monotonic() < deadline:
            time.sleep(0.02)
        return [m for _, m in self.received]


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@contextlib.contextmanager
def smtp_server(implicit_tls: bool = False) -> Iterator[tuple[str, Inbox]]:
    """Yields the GASME_SMTP_URL of a running server (login required) and its inbox."""
    inbox = Inbox()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        cert, key = _certificate(Path(folder))
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(cert, key)
        # aiosmtpd offers AUTH over implicit TLS only when told TLS is not required (it looks for STARTTLS);
        # the connection is encrypted all the same.
        kwargs: dict[str, Any] = ({"ssl_context": tls, "auth_require_tls": False} if implicit_tls else
                                  {"tls_context": tls, "require_starttls": True, "auth_required": True})
        controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate, **kwargs)
        before = os.environ.get("SSL_CERT_FILE")
        os.environ["SSL_CERT_FILE"] = str(cert)
        controller.start()
        try:
            scheme = "smtps" if implicit_tls else "smtp+starttls"
            yield f"{scheme}://{USER}:{PASSWORD.replace(':', '%3A')}@127.0.0.1:{port}", inbox
        finally:
            controller.stop()
            if before is None:
                os.environ.pop("SSL_CERT_FILE", None)
            else:
                os.environ["SSL_CERT_FILE"] = before
