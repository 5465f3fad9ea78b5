"""Checks of one setting's value (a line of text, an http(s) address, a mail address), shared by the
settings and the models they hold (`reports.core.events`). Each raises ValueError saying what is wrong."""

from __future__ import annotations

import re
import unicodedata
from email.utils import getaddresses
from urllib.parse import urlsplit


def one_line(value: str) -> str:
    """A setting is one line of text: a control character (CR, LF, tab...) could end a mail header
    and start another."""
    bad = next((index for index, character in enumerate(value) if unicodedata.category(character) == "Cc"), None)
    if bad is not None:
        raise ValueError(f"it has a control character ({value[bad]!r}) at position {bad + 1}: settings are one line "
                         "of text")
    return value


def http_url(value: str) -> str:
    """An absolute http(s) address in plain ASCII, as headers, feeds and sitemaps need it."""
    one_line(value)
    parts = urlsplit(value)
    try:
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        raise ValueError("its port is not a number from 0 to 65535") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        raise ValueError("it is not an absolute http(s) address such as https://brief.example.com/")
    if not value.isascii() or " " in value:
        raise ValueError("it has spaces or non-ASCII characters: percent-encode them (and write the host in its "
                         "xn-- form)")
    return value


def local_address(url: str) -> bool:
    """Whether an address points at this machine (localhost, 127.x.x.x, ::1): a site's placeholder address,
    which no reader of its feeds or pages can reach."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    loopback = bool(re.fullmatch(r"127(\.\d{1,3}){3}", host)) or host == "::1"
    return loopback or host == "localhost" or host.endswith(".localhost")


MAILBOX = re.compile(r"\s*(?:[^<>]*?\s*<(?P<address>[^<>]*)>|(?P<bare>[^<>]*?))\s*")  # [name] <address>, or address


def mailbox(value: str) -> str:
    """One address with an optional display name: 'Name <brief@example.com>' or 'brief@example.com'.
    The name is text (the mail code quotes and encodes it), but it must not make the header a list."""
    shape = "it is not one address like 'Name <brief@example.com>' or 'brief@example.com'"
    parts = MAILBOX.fullmatch(one_line(value))
    address = parts and (parts["address"] or parts["bare"] or "").strip()
    if not address or [pair[1] for pair in getaddresses([value])] != [address]:
        hint = ' (quote a name that has a comma: "Doe, Jane" <jane@example.com>)' if "," in value else ""
        raise ValueError(shape + hint)
    if not address.split("@")[0].isascii():
        raise ValueError(f"{shape}: its part before the @ must be ASCII")
    _valid_address(address)
    return value


def bare_address(value: str) -> str:
    """One address and nothing else (no name, brackets or list): the mailto: link is made from it."""
    return _valid_address(one_line(value))


def _valid_address(address: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False, test_environment=True)
    except EmailNotValidError as error:
        raise ValueError(f"{address!r} is not a valid address: {error}") from None
    return address
