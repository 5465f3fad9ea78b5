"""Addresses as they go on the wire: domains IDNA-encoded, display names left to the email library,
settings that must be one address parsed as one, mailto links percent-encoded.

A stored address is email-validator's normal form: its domain may be Unicode (bücher.example)
and its local part may be non-ASCII (jörg). The domain always goes out as IDNA (xn--…), in the
envelope and in the headers; a non-ASCII local part can only go out with SMTPUTF8 (smtp.deliver).
"""

from __future__ import annotations

from email.charset import Charset
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses
from urllib.parse import quote

from email_validator import EmailNotValidError, validate_email

from reports.core.errors import UsageError
from reports.publish.mail.subscribers import check_name

UTF8 = Charset("utf-8")
URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # RFC 3986 reserved characters, and % so existing escapes stay escapes


def display_name(name: str) -> str:
    """What to give `Address` so that the header, once decoded, says `name` whatever it looks like.

    The header registry re-parses the address it is given and decodes anything shaped like an RFC 2047
    encoded-word; Python then writes the decoded text back unencoded when it is ASCII, so the name
    "=?utf-8?b?QmNjOiB4QHkuY29t?=" went out as `To: Bcc: x@y.com <…>`. Such a name is handed over
    encoded twice by the library's own encoder: the re-parse removes one layer, and what goes out is
    one encoded-word whose decoding is exactly the name. Any other name the library quotes or encodes.
    """
    if "=?" not in name:
        return name
    return UTF8.header_encode(UTF8.header_encode(name))


def mailbox(address: str, name: str = "") -> Address:
    """A stored (or configured) address ready for the wire: the domain IDNA-encoded, the local part as
    it is. Raises EmailNotValidError for something that is not an address."""
    checked = validate_email(address, check_deliverability=False, test_environment=True)
    return Address(display_name(name), checked.local_part, checked.ascii_domain)


def needs_smtputf8(*addr_specs: str) -> bool:
    """True when an envelope address has a non-ASCII local part (the domains are already ASCII)."""
    return not all(spec.isascii() for spec in addr_specs)


def message_needs_smtputf8(message: EmailMessage) -> bool:
    """True when an address header of the message holds a non-ASCII local part."""
    specs = [address.addr_spec for field in ("From", "To", "Reply-To") if message[field] is not None
             for address in message[field].addresses]
    return needs_smtputf8(*specs)


def setting_address(setting: str, value: str) -> Address:
    """A setting that must hold exactly one address ('Name <brief@example.com>' or a bare address),
    checked once per campaign, so a list of two or a stray '>' never reaches a header."""
    pairs = getaddresses([value])
    if len(pairs) != 1 or not pairs[0][1]:
        raise UsageError(f"{setting} {value!r} is not one address like 'Name <brief@example.com>'.")
    name, address = pairs[0]
    try:
        return mailbox(address, check_name(name))
    except (EmailNotValidError, ValueError) as error:
        raise UsageError(f"{setting} {value!r}: {str(error).rstrip('.')}. Set {setting} to one address.") from None


def mailto(address: Address, subject: str) -> str:
    """A mailto URI (RFC 6068) for one address: everything but '@' and '+' percent-encoded, so no ',',
    '>' or '?' in the address can add a recipient, leave the header's <…> or start a query."""
    return f"mailto:{quote(address.addr_spec, safe='@+')}?subject={quote(subject, safe='')}"


def safe_url(url: str) -> str:
    """The URL with every character that is neither allowed in a URI nor already escaped
    percent-encoded: a space, '<', '>' or '"' can never end the <…> it is written in."""
    return quote(url, safe=URL_SAFE)
