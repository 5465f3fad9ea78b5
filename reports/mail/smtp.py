"""SMTP connections from settings and the environment, and what a server's answer means for us.

The password is read from SMTP_PASSWORD at connect time and handed only to smtplib: it is not
a setting, so it can never be printed with the settings, and no message here includes it.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass

from ..errors import BriefError, UsageError
from ..settings import Settings

DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
PASSWORD_ENV = "SMTP_PASSWORD"


@dataclass(frozen=True)
class Answer:
    """The outcome of one delivery attempt: an SMTP code (0 when the connection broke) and the text."""

    code: int
    text: str

    @property
    def delivered(self) -> bool:
        return 200 <= self.code < 300

    @property
    def permanent(self) -> bool:
        return self.code >= 500

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
    is answer code 0 (temporary): the caller reconnects and tries again."""
    try:
        client.sendmail(sender, [recipient], data)
    except smtplib.SMTPRecipientsRefused as error:
        code, text = error.recipients[recipient]
        return Answer(code, _text(text))
    except smtplib.SMTPResponseException as error:  # sender refused, data refused, 421 ...
        return Answer(error.smtp_code, _text(error.smtp_error))
    except (OSError, smtplib.SMTPException) as error:
        return Answer(0, f"connection lost: {error or type(error).__name__}")
    return Answer(250, "OK")


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
