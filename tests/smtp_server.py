"""A real SMTP server on 127.0.0.1 for the mail tests and the send benchmark (aiosmtpd).

It records every accepted message and can refuse chosen recipients: `refuse[address] = 550`
refuses for good, `defer[address] = n` answers 451 to the first n attempts, then accepts, and
`reject_data[address] = 554` takes the recipient but refuses the message after DATA. SMTPUTF8 is
offered only when `start(..., smtputf8=True)`, as on a real server that may or may not have it.
"""

from __future__ import annotations

import re
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass
class Recorder:
    keep_bodies: bool = True
    refuse: dict[str, int] = field(default_factory=dict)
    defer: dict[str, int] = field(default_factory=dict)
    reject_data: dict[str, int] = field(default_factory=dict)
    messages: list[tuple[str, bytes]] = field(default_factory=list)  # (recipient, raw) in arrival order
    received: Counter = field(default_factory=Counter)  # recipient -> times delivered
    bytes: int = 0  # total size of the messages accepted
    attempts: Counter = field(default_factory=Counter)  # recipient -> RCPT TO commands seen
    mail_options: dict[str, list[str]] = field(default_factory=dict)  # recipient -> MAIL FROM options last used
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.attempts[address] += 1
            if address in self.refuse:
                return f"{self.refuse[address]} 5.1.1 <{address}>: mailbox unavailable"
            if self.defer.get(address, 0) > 0:
                self.defer[address] -= 1
                return f"451 4.7.1 <{address}>: try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            refused = [self.reject_data[address] for address in envelope.rcpt_tos if address in self.reject_data]
            if refused:
                return f"{refused[0]} 5.6.0 message refused"
            self.bytes += len(envelope.original_content)
            for address in envelope.rcpt_tos:
                self.received[address] += 1
                self.mail_options[address] = list(envelope.mail_options)
                self.messages.append((address, envelope.original_content if self.keep_bodies else
                                      envelope.original_content[:4096]))
        return "250 Message accepted for delivery"

    @property
    def count(self) -> int:
        with self.lock:
            return sum(self.received.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(recorder: Recorder, port: int | None = None, logins: dict[str, str] | None = None,
          smtputf8: bool = False) -> Controller:
    """Serve on 127.0.0.1; with `logins` ({user: password}) the server offers AUTH (over plain text:
    it is a test on the loopback) and accepts only those; with `smtputf8` it offers SMTPUTF8."""
    auth = {} if logins is None else {"authenticator": _checker(logins), "auth_require_tls": False}
    controller = Controller(recorder, hostname="127.0.0.1", port=port or free_port(),
                            data_size_limit=64 * 1024 * 1024, decode_data=False, enable_SMTPUTF8=smtputf8, **auth)
    controller.start()
    return controller


def _checker(logins: dict[str, str]):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and logins.get(auth_data.login.decode()) == auth_data.password.decode())
        return AuthResult(success=ok, handled=False)  # aiosmtpd answers 235 or 535 itself

    return authenticate
