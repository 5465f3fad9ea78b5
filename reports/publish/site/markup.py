"""Markup the site's templates cannot make safely alone: JSON-LD inside a <script>, and links in text.

`script_json` writes JSON that stays inside its <script type="application/ld+json">: every `<`, `>`
and `&` (and the two line separators JavaScript reads as newlines) is a \\u escape, so no text from
a brief (a headline, an asset's name holding "</script>") can end the element early or open
another; JSON readers decode the escapes back. `linked` escapes a text and turns each http(s) URL
in it into a link, so the sources and methodology list their addresses as links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from markupsafe import Markup, escape

from reports.document import Brief

URL = re.compile(r"https?://[^\s<>\"'()\[\]]+")
TRAILING = ".,;:!?"
SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
               0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value: object) -> Markup:
    """`value` as JSON to place between <script type="application/ld+json"> and </script>."""
    return Markup(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False).translate(SCRIPT_SAFE))


def linked(text: str) -> Markup:
    """`text`, escaped, with each http(s) address in it as a link (trailing punctuation left outside)."""
    out: list[str] = []
    last = 0
    for found in URL.finditer(text):
        url = found.group(0).rstrip(TRAILING)
        end = found.start() + len(url)
        out.append(str(escape(text[last:found.start()])))
        out.append(str(Markup('<a href="{0}" rel="external">{0}</a>').format(url)))
        last = end
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def _stamp(brief: Brief, which: str) -> str:
    moment = brief.published_at if which == "published" else brief.updated_at
    return moment.isoformat().replace("+00:00", "Z")


def news_article(brief: Brief, page_url: str, images: Sequence[str], publisher: str, site_url: str,
                 logo_url: str) -> dict:
    """The brief as a schema.org NewsArticle: its headline, its stable dates (the week's publication
    time and the last change of its content, never the build time), its charts as absolute image
    addresses, and the publication as author and publisher."""
    organisation = {"@type": "Organization", "name": publisher, "url": site_url,
                    "logo": {"@type": "ImageObject", "url": logo_url}}
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": brief.headline,
        "description": brief.description,
        "datePublished": _stamp(brief, "published"),
        "dateModified": _stamp(brief, "updated"),
        "inLanguage": brief.lang,
        "articleSection": brief.category,
        "keywords": list(brief.tags),
        "image": list(images),
        "author": organisation,
        "publisher": organisation,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url},
        "url": page_url,
    }
