"""SMTP connections from settings and the environment, and what a server's answer means for us.

The password is read from SMTP_PASSWORD at connect time and handed only to smtplib: it is not
a setting, so it can never be printed with the settings, and no message here includes it.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass

from reports.core.errors import BriefError, UsageError
from reports.core.settings import Settings
from reports.publish.mail.addresses import needs_smtputf8

DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
PASSWORD_ENV = "SMTP_PASSWORD"


@dataclass(frozen=True)
class Answer:
    """The outcome of one delivery attempt: an SMTP code (0 when no server answered: the connection
    broke, or the message was refused here before it was offered) and the text."""

    code: int
    text: str
    at_rcpt: bool = False  # the answer to RCPT TO: about the recipient itself, not the sender or the message
    local: bool = False  # refused here, before the server was asked: final, and says nothing of the mailbox

    @property
    def delivered(self) -> bool:
        return 200 <= self.code < 300

    @property
    def permanent(self) -> bool:
        return self.code >= 500 or self.local

    @property
    def bounced(self) -> bool:
        """A hard bounce: a 5xx refusal of the address, whatever the code (550, 551, 553, 554 ...). A 5xx
        to the message after DATA (too big, spam) is final for this message but not for the address."""
        return self.code >= 500 and self.at_rcpt

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip() if self.code else self.text


def describe(settings: Settings) -> str:
    port = settings.smtp_port or DEFAULT_PORTS[settings.smtp_security]
    who = f"{settings.smtp_user}@" if settings.smtp_user else ""
    return f"{who}{settings.smtp_host}:{port} ({settings.smtp_security})"


def connect(settings: Settings) -> smtplib.SMTP:
    """An open, authenticated connection; a refusal is a clear error naming host and port, never the password."""
    port = settings.smtp_port or DEFAULT_PORTS[settings.smtp_security]
    context = ssl.create_default_context()
    try:
        if settings.smtp_security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, port, timeout=settings.smtp_timeout,
                                                    context=context)
        else:
            client = smtplib.SMTP(settings.smtp_host, port, timeout=settings.smtp_timeout)
        client.ehlo()
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.smtp_user:
            password = os.environ.get(PASSWORD_ENV)
            if password is None:
                client.close()
                raise UsageError(f"smtp_user is {settings.smtp_user!r} but {PASSWORD_ENV} is not set in the environment.")
            client.login(settings.smtp_user, password)
    except smtplib.SMTPAuthenticationError as error:
        raise UsageError(f"SMTP server {describe(settings)} refused the login (code {error.smtp_code}). "
                         f"Check SMTP_USER and {PASSWORD_ENV}.") from None
    except smtplib.SMTPNotSupportedError:
        raise UsageError(f"SMTP server {describe(settings)} does not offer STARTTLS/AUTH. "
                         "Set SMTP_SECURITY=tls or none to match the server.") from None
    except (OSError, smtplib.SMTPException) as error:
        raise BriefError(f"cannot connect to the SMTP server {describe(settings)}: {error}. "
                         "Check SMTP_HOST, SMTP_PORT and SMTP_SECURITY.") from None
    return client


def deliver(client: smtplib.SMTP, sender: str, recipient: str, data: bytes) -> Answer:
    """Send one message on an open connection and classify the server's answer. A broken connection
    is answer code 0 (temporary): the caller reconnects and tries again. `sender` and `recipient`
    are wire addresses (ASCII domains); a non-ASCII local part goes out with SMTPUTF8 or not at all."""
    options = _mail_options(client, sender, recipient)
    if isinstance(options, Answer):
        return options
    try:
        client.sendmail(sender, [recipient], data, mail_options=options)
    except smtplib.SMTPRecipientsRefused as error:
        code, text = error.recipients[recipient]
        return Answer(code, _text(text), at_rcpt=True)
    except smtplib.SMTPResponseException as error:  # sender refused, data refused, 421 ...
        return Answer(error.smtp_code, _text(error.smtp_error))
    except (OSError, smtplib.SMTPException) as error:
        return Answer(0, f"connection lost: {error or type(error).__name__}")
    return Answer(250, "OK")


def _mail_options(client: smtplib.SMTP, sender: str, recipient: str) -> list[str] | Answer:
    """SMTPUTF8 for a non-ASCII local part, if the server offers it; if not, the refusal to record."""
    if not needs_smtputf8(sender, recipient):
        return []
    if not client.has_extn("smtputf8"):
        who = recipient if not recipient.isascii() else f"the sender {sender}"
        return Answer(0, f"not sent: {who} has a non-ASCII local part, which needs SMTPUTF8, and the SMTP "
                         "server does not offer it", local=True)
    return ["SMTPUTF8", *(["BODY=8BITMIME"] if client.has_extn("8bitmime") else [])]


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())


def close(client: smtplib.SMTP | None) -> None:
    if client is None:
        return
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
