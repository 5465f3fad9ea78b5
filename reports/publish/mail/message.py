"""The email for one subscriber, built from one brief folder.

    multipart/mixed
      multipart/alternative
        text/plain                 readable on its own
        multipart/related
          text/html                CSS inlined (media queries kept), fluid to 600px, charts as cid: references
          image/png ...            the charts, one part each, with a Content-ID
      application/pdf              the brief (when `attach_pdf` is on and brief.pdf exists)

With hosted images (the default once `base_url` is set) the charts are linked from the published
site instead, the PDF is linked rather than attached (unless `attach_pdf` is set), and the HTML
part stands alone: the message is a few tens of kilobytes instead of most of a megabyte.

The brief's HTML and text are rendered and inlined once per campaign; each subscriber only
gets their greeting and unsubscribe links substituted, and the image and PDF parts are built
once and shared, which keeps composing far cheaper than sending.
"""

from __future__ import annotations

import binascii
import hashlib
import io
import textwrap
from dataclasses import dataclass
from email import policy
from email.generator import BytesGenerator
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.utils import format_datetime
from functools import cached_property
from urllib.parse import quote

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape

from reports.core import clock
from reports.core.formatting import Formatter
from reports.render.templating import TEMPLATES, html_environment
from reports.core.settings import Settings
from reports.publish.site import urls
from reports.publish.mail.addresses import mailbox, mailto, message_needs_smtputf8, safe_url, setting_address
from reports.publish.mail.edition import Block, Edition
from reports.publish.mail.safety import unsubscribe_base

# Headers are not folded below the 998-character limit: the email package folds a long subject
# right after "Subject:", which some clients show as a leading space. Bodies wrap at 76 regardless.
POLICY = policy.SMTP.clone(max_line_length=998)
POLICY_UTF8 = POLICY.clone(utf8=True)  # RFC 6532 headers, for a message sent with SMTPUTF8
WIDTH = 72
GMAIL_CLIP_BYTES = 102 * 1024  # Gmail hides the rest of a message whose HTML is larger than this
GREETING, UNSUBSCRIBE = "\ue000GREETING\ue000", "\ue000UNSUBSCRIBE\ue000"  # private-use: never in a brief
PREHEADER_PADDING = "\u200c\u00a0" * 60  # keeps the body text out of the inbox preview line


@dataclass(frozen=True)
class Recipient:
    email: str  # as stored: the ledger's key
    name: str
    token: str

    @cached_property
    def address(self) -> Address:
        """The To address on the wire (IDNA domain); its addr_spec is the envelope recipient."""
        return mailbox(self.email, self.name)


def _wrap(text: str, bullet: str = "", indent: int = 0) -> str:
    lead = bullet or " " * indent
    return textwrap.fill(" ".join(text.split()), WIDTH, initial_indent=lead,
                         subsequent_indent=" " * len(lead), break_on_hyphens=False)


def _text_rows(block: Block) -> str:
    """A table as one wrapped line per row ("- Bitcoin (BTC): rank 1; price $65,881; ..."): a grid of
    six columns does not fit the 72 characters a plain-text reader or a phone shows. The row is named
    by the brief's label column (its role in brief.json, wherever it stands), never by a position."""
    lines = []
    for row in block.rows:
        details = "; ".join(f"{title[:1].lower()}{title[1:]} {cell}" for index, (title, cell)
                            in enumerate(zip(block.columns, row)) if index != block.label and cell)
        lines.append(_wrap(f"{row[block.label]}: {details}" if block.label is not None else details, bullet="- "))
    return "\n".join(lines)


def _text_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["wrap"] = _wrap
    env.filters["text_table"] = _text_rows
    return env


class Composer:
    """Makes each subscriber's message for one edition. Thread-safe once built: it only reads."""

    def __init__(self, edition: Edition, settings: Settings) -> None:
        self.edition = edition
        self.settings = settings
        self.sender = setting_address("mail_from", settings.mail_from)  # a malformed From never starts a campaign
        self.reply_to = setting_address("reply_to", settings.reply_to) if settings.reply_to else None
        self.unsubscribe_mailbox = (setting_address("unsubscribe_mailto", settings.unsubscribe_mailto)
                                    if settings.unsubscribe_mailto else self.sender)
        self.date = format_datetime(clock.now())
        site = "base_url" in settings.model_fields_set
        self.page = urls.absolute(settings.base_url, urls.brief(edition.week_end)) if site and not edition.asset else None
        wanted = settings.images or ("hosted" if site else "embedded")
        self.hosted = wanted == "hosted" and self.page is not None  # an asset brief has no page: embedded
        attach = settings.attach_pdf if "attach_pdf" in settings.model_fields_set or not self.hosted else False
        self.attached = attach and edition.pdf is not None
        self.cids = {chart.id: f"{chart.id}.{self._digest(edition.key)[:12]}@{self.sender.domain}"
                     for chart in edition.charts}
        self.links = {"online": self.page,
                      "pdf": f"{self.page}brief.pdf" if self.page and edition.pdf is not None else None,
                      "archive": urls.absolute(settings.base_url, urls.ARCHIVE) if site else None}

    @staticmethod
    def _digest(*parts: str) -> str:
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    def _context(self) -> dict:
        formatter = Formatter(self.edition.locale)
        week = f"{formatter.day(self.edition.week_start)} to {formatter.date(self.edition.week_end)}"
        return {"edition": self.edition, "week": week,
                "greeting": GREETING, "unsubscribe": UNSUBSCRIBE, "attached": self.attached, "width": WIDTH,
                "images": self.image_sources, "links": self.links, "postal_address": self.settings.postal_address,
                "preheader_padding": PREHEADER_PADDING}

    @cached_property
    def image_sources(self) -> dict[str, str]:
        """Each chart's src: its published PNG beside the brief's page, or its part's cid: reference."""
        if self.hosted:
            return {chart.id: safe_url(f"{self.page}{chart.path}") for chart in self.edition.charts}
        return {chart_id: f"cid:{cid}" for chart_id, cid in self.cids.items()}

    @cached_property
    def html(self) -> str:
        """The HTML with inlined CSS, still holding the greeting and unsubscribe placeholders."""
        css = (TEMPLATES / "email" / "email.css").read_text(encoding="utf-8")
        responsive = (TEMPLATES / "email" / "email-responsive.css").read_text(encoding="utf-8")
        page = html_environment().get_template("email/brief.html.j2").render(css=css, **self._context())
        inlined = css_inline.inline(page)  # removes every <style>: the one that cannot be inlined goes back after
        return inlined.replace("</head>", f"<style>{responsive}</style>\n</head>", 1)

    @cached_property
    def text(self) -> str:
        return _text_environment().get_template("email/brief.txt.j2").render(**self._context())

    @cached_property
    def _images(self) -> list[MIMEPart]:
        if self.hosted:
            return []
        parts = []
        for chart in self.edition.charts:
            part = MIMEPart(policy=POLICY)
            part.set_content(chart.png, "image", "png", cid=f"<{self.cids[chart.id]}>", disposition="inline",
                             filename=f"{chart.id}.png")
            parts.append(part)
        return parts

    @cached_property
    def _pdf(self) -> MIMEPart:
        part = MIMEPart(policy=POLICY)
        part.set_content(self.edition.pdf, "application", "pdf", disposition="attachment",
                         filename=f"{self.edition.publication.lower().replace(' ', '-')}-{self.edition.week_end}.pdf")
        return part

    @cached_property
    def _shared(self) -> dict[int, bytes]:
        parts = [*self._images, *([self._pdf] if self.attached else [])]
        return {id(part): part.as_bytes(policy=POLICY) for part in parts}

    def as_bytes(self, message: EmailMessage) -> bytes:
        """The message on the wire (CRLF line ends), shared parts spliced in from their cached bytes.
        UTF-8 headers only when an address needs them (it then goes out with SMTPUTF8)."""
        buffer = io.BytesIO()
        chosen = POLICY_UTF8 if message_needs_smtputf8(message) else POLICY
        _SharingGenerator(buffer, self._shared, mangle_from_=False, policy=chosen).flatten(message)
        return buffer.getvalue()

    def message_bytes(self, recipient: Recipient) -> bytes:
        return self.as_bytes(self.compose(recipient))

    def unsubscribe_links(self, token: str) -> tuple[str, str]:
        base = safe_url(unsubscribe_base(self.settings))
        https = f"{base}{'&' if '?' in base else '?'}token={quote(token, safe='')}"
        return https, mailto(self.unsubscribe_mailbox, f"unsubscribe {token}")

    def message_id(self, address: str) -> str:
        """The same brief to the same address always has the same Message-ID: a resend after a crash
        is recognisable as the same message (and deduplicated by many receiving servers)."""
        return f"<{self._digest(self.edition.key, address)[:32]}@{self.sender.domain}>"

    def compose(self, recipient: Recipient) -> EmailMessage:
        https, mailto = self.unsubscribe_links(recipient.token)
        greeting = f"Hello {recipient.name}," if recipient.name else "Hello,"
        text = self.text.replace(GREETING, greeting).replace(UNSUBSCRIBE, https)
        html = self.html.replace(GREETING, str(escape(greeting))).replace(UNSUBSCRIBE, str(escape(https)))
        seed = self._digest(self.edition.key, recipient.email)[:24]

        related = (_multipart("related", f"rel-{seed}", [_text_part(html, "html"), *self._images]) if self._images
                   else _text_part(html, "html"))
        alternative = _multipart("alternative", f"alt-{seed}", [_text_part(text, "plain"), related],
                                 MIMEPart if self.attached else EmailMessage)
        message = _multipart("mixed", f"mix-{seed}", [alternative, self._pdf], EmailMessage) if self.attached \
            else alternative
        assert isinstance(message, EmailMessage)  # the outermost part is built as one, attached or not
        message["From"] = self.sender
        if self.reply_to is not None:
            message["Reply-To"] = self.reply_to
        message["To"] = recipient.address
        message["Subject"] = self.edition.headline
        message["Date"] = self.date
        message["Message-ID"] = self.message_id(recipient.email)
        message["MIME-Version"] = "1.0"
        message["List-Unsubscribe"] = f"<{mailto}>, <{https}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["List-Id"] = f"{self.edition.publication} <brief.{self.sender.domain}>"
        return message


def _text_part(content: str, subtype: str) -> MIMEPart:
    """UTF-8 text, quoted-printable: readable where it is ASCII. binascii's encoder is C; the email
    package's own is pure Python and was the largest cost of composing a message."""
    part = MIMEPart(policy=POLICY)
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(content.encode("utf-8"), istext=True).decode("ascii"))
    return part


def _multipart(subtype: str, boundary: str, parts: list[MIMEPart], cls: type = MIMEPart) -> MIMEPart:
    """A multipart with a boundary derived from (brief, subscriber): the same message, the same bytes."""
    container = cls(policy=POLICY)
    container["Content-Type"] = f"multipart/{subtype}"
    container.set_boundary(f"=_{boundary}")
    for part in parts:
        container.attach(part)
    return container


class _SharingGenerator(BytesGenerator):
    """Writes the parts every subscriber shares (charts, PDF) from bytes serialised once: without
    this, re-encoding about a megabyte of base64 per message costs more than sending it."""

    def __init__(self, fp, shared: dict[int, bytes], **kwargs) -> None:
        super().__init__(fp, **kwargs)
        self._shared = shared

    def clone(self, fp):
        return _SharingGenerator(fp, self._shared, mangle_from_=self._mangle_from_, policy=self.policy)

    def flatten(self, msg, unixfrom=False, linesep=None):
        cached = self._shared.get(id(msg))
        if cached is None:
            return super().flatten(msg, unixfrom, linesep)
        self._fp.write(cached)
