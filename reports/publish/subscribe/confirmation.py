"""The double opt-in mail: one short message with the signed, expiring confirmation link. Nothing
is subscribed until that link's page is answered."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from reports.core import clock
from reports.core.settings import Settings
from reports.publish.mail import smtp
from reports.publish.mail.addresses import mailbox, setting_address
from reports.publish.mail.message import POLICY


def compose(settings: Settings, address: str, link: str) -> EmailMessage:
    sender = setting_address("mail_from", settings.mail_from)
    message = EmailMessage(policy=POLICY)
    message["From"] = sender
    message["To"] = mailbox(address)
    message["Subject"] = f"Confirm your subscription to {settings.publication_name}"
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=sender.domain)
    message["Auto-Submitted"] = "auto-generated"
    footer = f"\n\n{settings.postal_address}\n" if settings.postal_address else "\n"
    message.set_content(
        f"Someone, probably you, asked to receive {settings.publication_name} at this address.\n\n"
        f"To confirm, open this link within two days and press the button:\n{link}\n\n"
        "If it was not you, ignore this mail: you will not be subscribed and will hear nothing more."
        + footer)
    return message


def send(settings: Settings, address: str, link: str) -> bool:
    """Deliver the confirmation mail; True when the server accepted it."""
    message = compose(settings, address, link)
    sender = setting_address("mail_from", settings.mail_from)
    client = smtp.connect(settings)
    try:
        answer = smtp.deliver(client, sender.addr_spec, mailbox(address).addr_spec, message.as_bytes(policy=POLICY))
    finally:
        smtp.close(client)
    return answer.delivered
