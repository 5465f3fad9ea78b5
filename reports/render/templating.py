"""Templates and assets: the Jinja environments, the stylesheet, the fonts and the logo."""

from __future__ import annotations

import base64
import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
ASSETS = ROOT / "assets"
# Each font ships as WOFF2 (small, for embedding in HTML) and TTF (embedded whole in the PDF,
# which spares WeasyPrint decompressing and subsetting it; see assets/fonts/README.md).
FONTS = (
    ("Inter", 400, "inter-latin-400-normal"),
    ("Inter", 500, "inter-latin-500-normal"),
    ("Inter", 600, "inter-latin-600-normal"),
    ("Inter", 700, "inter-latin-700-normal"),
    ("Source Serif 4", 400, "source-serif-4-latin-400-normal"),
    ("Source Serif 4", 600, "source-serif-4-latin-600-normal"),
    ("Source Serif 4", 700, "source-serif-4-latin-700-normal"),
)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|])")


@cache
def html_environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined)


@cache
def markdown_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=False, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["md"] = escape_markdown
    env.filters["cell"] = lambda text: escape_markdown(text).replace("\n", " ")
    env.filters["alt"] = lambda text: text.replace("[", "(").replace("]", ")").replace("\n", " ")
    env.filters["spans"] = markdown_spans
    env.filters["md_url"] = markdown_url
    return env


def markdown_spans(spans: Any) -> str:
    """An editor's note paragraph (`reports.document.Span`s) as Markdown: its text escaped, its styles
    and http(s) links written back as Markdown, so no markup of the editor's passes through."""
    out = []
    for span in spans:
        if "code" in span.style:
            run = max((len(m) for m in re.findall(r"`+", span.text)), default=0) + 1
            pad = " " if span.text.startswith("`") or span.text.endswith("`") else ""
            text = f"{'`' * run}{pad}{span.text}{pad}{'`' * run}"
        else:
            text = escape_markdown(span.text)
        if "em" in span.style:
            text = f"*{text}*"
        if "strong" in span.style:
            text = f"**{text}**"
        out.append(f"[{text}]({markdown_url(span.href)})" if span.href else text)
    return "".join(out).replace("\n", " ")


def markdown_url(url: str) -> str:
    """An http(s) address as a Markdown link target: the characters that would end it percent-encoded."""
    return url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


def escape_markdown(text: str) -> str:
    """Backslash-escape the characters Markdown would read as markup (a name like `*coin_` stays text)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


@cache
def stylesheet() -> str:
    return (ASSETS / "css" / "brief.css").read_text(encoding="utf-8")


@cache
def font_faces(embed: bool) -> str:
    """@font-face rules: fonts embedded as data: URLs (a self-contained HTML file) or linked as files (PDF)."""
    rules = []
    for family, weight, stem in FONTS:
        if embed:
            data = (ASSETS / "fonts" / f"{stem}.woff2").read_bytes()
            source = f'url("data:font/woff2;base64,{base64.b64encode(data).decode("ascii")}") format("woff2")'
        else:
            source = f'url("{(ASSETS / "fonts" / f"{stem}.ttf").as_uri()}") format("truetype")'
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
            f"font-display: swap; src: {source}; }}"
        )
    return "\n".join(rules)


@cache
def logo() -> Markup:
    return Markup((ASSETS / "img" / "logo.svg").read_text(encoding="utf-8").strip())
