"""The editor's notes: what the data cannot know, written by hand in a Markdown file and checked
where it enters (`load_notes`). The format, for an editor's plain text editor:

    ---
    author: Jane Doe, markets editor    # who writes From the desk (required with that section)
    week: 2026-02-08                    # optional: the week the notes are for
    ---
    ## From the desk
    Plain paragraphs of commentary; *emphasis*, **bold**, `code` and [links](https://...) work.

    ## Reactions & Quotes
    > What the speaker said, as a blockquote.
    — Speaker, Source (https://where.it/was/said)

    ## Unconfirmed
    > A report the desk has not confirmed.
    — Reported by Outlet, citing people familiar with the matter (https://outlet.example/story)

Three headings and nothing else; every quote and unconfirmed report is a blockquote followed by
its attribution line (`— Speaker, Source (url)`, the source and url optional, `--` for the dash).
The text is parsed by a real Markdown parser (markdown-it, raw HTML off) into plain spans: no
markup reaches a brief but emphasis, code and http(s) links, which every renderer escapes. A
problem (bad front matter, an unknown heading, an unclosed ``` fence, an attribution without a
quote, a quote without an attribution) is an error naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from reports.core.errors import InputError, Location
from reports.core.values import http_url, one_line
from reports.document.quote import NoteRole, QuoteBlock, Span, Style

MAX_BYTES = 1 << 20
NAME_CHARACTERS = 200
SECTIONS: dict[str, NoteRole] = {"from the desk": "desk", "reactions & quotes": "quote", "reactions and quotes": "quote",
                                 "unconfirmed": "unconfirmed"}
TITLES: dict[NoteRole, str] = {"desk": "From the desk", "quote": "Reactions & Quotes", "unconfirmed": "Unconfirmed"}
IDS: dict[NoteRole, str] = {"desk": "from-the-desk", "quote": "reactions-quotes", "unconfirmed": "unconfirmed"}
KEYS = ("author", "week")
DASH = re.compile(r"^\s*(?:—|―|--)\s*")
ATTRIBUTION = re.compile(r"^(?P<who>.*?)\s*(?:\(\s*<?(?P<url>[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*?)>?\s*\))?\s*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADINGS = ", ".join(f"## {title}" for title in TITLES.values())


@dataclass(frozen=True)
class Notes:
    """The parsed notes: the desk's author and week (from the front matter) and each role's items."""

    path: Path
    author: str | None
    week: date | None
    items: tuple[QuoteBlock, ...]

    def of(self, role: NoteRole) -> tuple[QuoteBlock, ...]:
        return tuple(item for item in self.items if item.role == role)


def load_notes(path: Path) -> Notes:
    """The notes in `path`, or an InputError naming the file and line of the first problem."""
    try:
        stamp = path.stat().st_mtime_ns if path.is_file() else 0
    except OSError:
        stamp = 0
    return _load(path, stamp)


@cache
def _load(path: Path, _stamp: int) -> Notes:
    if not path.is_file():
        problem = "not a regular file" if path.exists() else "no such notes file"
        raise InputError(path, problem, "Give the path of a Markdown notes file with --notes or the notes setting.")
    data = path.read_bytes()[: MAX_BYTES + 1]
    if len(data) > MAX_BYTES:
        raise InputError(path, f"the notes file is larger than {MAX_BYTES >> 10} KiB", "Keep notes to a few pages.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(Location(path, data.count(b"\n", 0, error.start) + 1), "not UTF-8 text",
                         "Save the notes as UTF-8.") from None
    return parse_notes(text, path)


def parse_notes(text: str, path: Path) -> Notes:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, body_start = _front_matter(lines, path)
    body = lines[body_start:]
    _fences(body, body_start, path)
    items = _Parser(path, body_start, meta.get("author")).parse("\n".join(body))
    if not items:
        raise InputError(path, "the notes hold no commentary, quote or report",
                         f"Write at least one under {HEADINGS}, or leave out --notes.")
    return Notes(path, meta.get("author"), meta.get("week"), items)


# --- front matter -------------------------------------------------------------------------------------


def _front_matter(lines: list[str], path: Path) -> tuple[dict[str, Any], int]:
    """The YAML between a first line `---` and the next `---`, and the line the body starts on (0-based)."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    end = next((number for number in range(1, len(lines)) if lines[number].strip() in ("---", "...")), None)
    if end is None:
        raise InputError(Location(path, 1), "the front matter opened here is never closed",
                         "End it with a line of three dashes (---) before the first heading.")
    import yaml

    source = "\n".join(lines[1:end])
    try:
        meta = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise InputError(Location(path, line), f"the front matter is not valid YAML ({problem})",
                         "Write it as `key: value` lines, e.g. `author: Jane Doe`.") from None
    if not isinstance(meta, dict):
        raise InputError(Location(path, 2), "the front matter is not a set of `key: value` lines",
                         f"Give only the keys {', '.join(KEYS)}.")
    for key, value in meta.items():
        line = next((n + 2 for n, text in enumerate(lines[1:end]) if text.split(":", 1)[0].strip() == str(key)), 2)
        where = Location(path, line)
        if key not in KEYS:
            raise InputError(where, f"{str(key)[:40]!r} is not a key of the notes' front matter",
                             f"The keys are {', '.join(KEYS)}.")
        if key == "author":
            meta[key] = _name(value, where, "the author")
        elif not isinstance(value, date):
            try:
                meta[key] = date.fromisoformat(str(value))
            except ValueError:
                raise InputError(where, f"the week {str(value)[:40]!r} is not a date",
                                 "Write the week's last day as YYYY-MM-DD.") from None
    return meta, end + 1


def _fences(body: list[str], offset: int, path: Path) -> None:
    """Refuse code fences: an unclosed one would swallow the rest of the notes."""
    opened: tuple[int, str] | None = None
    for number, line in enumerate(body):
        match = FENCE.match(line)
        if match is None:
            continue
        if opened is None:
            opened = (number, match.group(1))
        elif match.group(1)[0] == opened[1][0] and len(match.group(1)) >= len(opened[1]):
            raise InputError(Location(path, offset + opened[0] + 1), "notes have no code blocks",
                             "Write the text as a paragraph; `inline code` works.")
    if opened is not None:
        raise InputError(Location(path, offset + opened[0] + 1), f"the {opened[1]} fence opened here is never closed",
                         "Remove it (notes have no code blocks), or close it.")


def _name(value: Any, where: Location, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(where, f"{what} is not a name", "Give a name on one line, e.g. Jane Doe.")
    try:
        one_line(value)
    except ValueError as error:
        raise InputError(where, f"{what} is not a name: {error}", "Give a name on one line.") from None
    if len(value) > NAME_CHARACTERS:
        raise InputError(where, f"{what} is longer than {NAME_CHARACTERS} characters", "Shorten it.")
    return value.strip()


# --- the body -----------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, path: Path, offset: int, author: str | None) -> None:
        from markdown_it import MarkdownIt

        self.md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        self.path, self.offset, self.author = path, offset, author

    def where(self, token: Any) -> Location:
        return Location(self.path, self.offset + (token.map[0] if token.map else 0) + 1)

    def parse(self, body: str) -> tuple[QuoteBlock, ...]:
        tokens = self.md.parse(body)
        role: NoteRole | None = None
        seen: set[NoteRole] = set()
        items: list[QuoteBlock] = []
        pending: tuple[list[tuple[str, Any]], Any] | None = None  # a quote waiting for its attribution
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "heading_open":
                self._unattributed(pending)
                pending = None
                role = self._heading(token, tokens[index + 1], seen)
                index += 3
            elif token.type == "paragraph_open":
                content = tokens[index + 1].content
                if role is None:
                    raise InputError(self.where(token), "text before the first heading",
                                     f"Put every note under one of {HEADINGS}.")
                if DASH.match(content):
                    if pending is None:
                        raise InputError(self.where(token), "an attribution without a quote",
                                         "Put the quote (a line starting with >) right above its attribution.")
                    items.append(self._quote(role, pending[0], content, pending[1]))
                    pending = None
                elif role == "desk":
                    self._unattributed(pending)
                    spans = self._spans(content, token)
                    if items and items[-1].role == "desk":  # the desk's paragraphs read as one note
                        items[-1] = _block("desk", (*items[-1].paragraphs, spans), items[-1].speaker, None, None)
                    else:
                        items.append(_block("desk", (spans,), self.author or "", None, None))
                else:
                    raise InputError(self.where(token), f"a paragraph in {TITLES[role]} that is not a quote",
                                     "Write each quote as a blockquote (lines starting with >) followed by "
                                     "`— Speaker, Source (https://...)`.")
                index += 3
            elif token.type == "blockquote_open":
                self._unattributed(pending)
                if role is None:
                    raise InputError(self.where(token), "a quote before the first heading",
                                     f"Put every note under one of {HEADINGS}.")
                if role == "desk":
                    raise InputError(self.where(token), "From the desk holds the desk's own words, not quotes",
                                     "Move the quote to ## Reactions & Quotes with its attribution.")
                close = self._closing(tokens, index)
                paragraphs = self._quoted(tokens[index + 1: close])
                last_text, last_token = paragraphs[-1]
                *rest, tail = last_text.split("\n")
                if DASH.match(tail):
                    kept = [*paragraphs[:-1], *([("\n".join(rest), last_token)] if rest else [])]
                    if not kept:
                        raise InputError(self.where(token), "an attribution without a quote",
                                         "Put the quote's words above its attribution.")
                    items.append(self._quote(role, kept, tail, token))
                else:
                    pending = (paragraphs, token)
                index = close + 1
            else:
                raise InputError(self.where(token), f"{_kind(token)} is not part of the notes format",
                                 f"Use paragraphs under ## From the desk and blockquotes with attributions under "
                                 f"the other headings ({HEADINGS}).")
        self._unattributed(pending)
        return tuple(items)

    def _heading(self, token: Any, inline: Any, seen: set[NoteRole]) -> NoteRole:
        title = " ".join(inline.content.split())
        role = SECTIONS.get(title.lower())
        if token.tag != "h2" or role is None:
            raise InputError(self.where(token), f"unknown heading {('#' * int(token.tag[1]) + ' ' + title)[:80]!r}",
                             f"The notes' headings are {HEADINGS}.")
        if role in seen:
            raise InputError(self.where(token), f"the heading {TITLES[role]!r} comes twice",
                             "Put all of its notes under one heading.")
        if role == "desk" and self.author is None:
            raise InputError(self.where(token), "From the desk has no author to attribute it to",
                             "Add `author: Your Name` to the front matter (between --- lines at the top).")
        seen.add(role)
        return role

    def _closing(self, tokens: list[Any], index: int) -> int:
        level = tokens[index].level
        return next(i for i in range(index + 1, len(tokens)) if tokens[i].type == "blockquote_close" and tokens[i].level == level)

    def _quoted(self, inner: list[Any]) -> list[tuple[str, Any]]:
        """The paragraphs of a blockquote (raw inline text, token); anything else in it is an error."""
        found = []
        index = 0
        while index < len(inner):
            token = inner[index]
            if token.type != "paragraph_open":
                raise InputError(self.where(token), f"{_kind(token)} inside a quote",
                                 "A quote holds paragraphs of text only.")
            found.append((inner[index + 1].content, token))
            index += 3
        if not found:
            raise InputError(self.where(inner[0]) if inner else Location(self.path), "an empty quote",
                             "Write the quoted words after the >.")
        return found

    def _unattributed(self, pending: tuple[list[tuple[str, Any]], Any] | None) -> None:
        if pending is not None:
            raise InputError(self.where(pending[1]), "a quote without an attribution",
                             "Add a line `— Speaker, Source (https://...)` right after the quote.")

    def _quote(self, role: NoteRole, paragraphs: list[tuple[str, Any]], line: str, token: Any) -> QuoteBlock:
        who, source, url = self._attribution(line, token)
        return _block(role, tuple(self._spans(text, at) for text, at in paragraphs), who, source, url)

    def _attribution(self, line: str, token: Any) -> tuple[str, str | None, str | None]:
        text = DASH.sub("", line, count=1).strip()
        link = re.fullmatch(r"(?P<before>.*?)\[(?P<label>[^\]]+)\]\((?P<url>[^\s()]+)\)\s*", text)
        if link is not None:  # — Speaker, [Source](https://...)
            text, url = f"{link['before']}{link['label']}", link["url"]
        else:
            match = ATTRIBUTION.fullmatch(text)
            text, url = (match["who"], match["url"]) if match else (text, None)
        if url is not None:
            url = self._address(url, token)
        who, _, source = text.partition(",")
        where = self.where(token)
        speaker = _name(who, where, "the attribution's speaker")
        return speaker, _name(source, where, "the attribution's source") if source.strip() else None, url

    def _address(self, url: str, token: Any) -> str:
        try:
            return http_url(url)
        except ValueError as error:
            raise InputError(self.where(token), f"the link {url[:80]!r} is not an http(s) address ({error})",
                             "Notes link only to http:// or https:// addresses.") from None

    def _spans(self, content: str, token: Any) -> tuple[Span, ...]:
        """A paragraph's inline Markdown as spans: text with emphasis, strong, code and http(s) links."""
        styles: list[Style] = []
        href: str | None = None
        spans: list[Span] = []
        for child in self.md.parseInline(content)[0].children or []:
            kind = child.type
            if kind in ("text", "softbreak", "hardbreak", "code_inline"):
                text = child.content if kind in ("text", "code_inline") else " "
                style = (*styles, "code") if kind == "code_inline" else tuple(styles)
                spans.append(Span(text=text, style=style, href=href))
            elif kind in ("em_open", "strong_open"):
                styles.append("em" if kind == "em_open" else "strong")
            elif kind in ("em_close", "strong_close"):
                styles.pop()
            elif kind == "link_open":
                href = self._address(str(child.attrGet("href") or ""), token)
            elif kind == "link_close":
                href = None
            else:
                raise InputError(self.where(token), f"{_kind(child)} is not part of the notes format",
                                 "Notes hold text, *emphasis*, **bold**, `code` and [links](https://...).")
        return _merged(spans)


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for span in spans:
        if out and out[-1].style == span.style and out[-1].href == span.href:
            out[-1] = Span(text=out[-1].text + span.text, style=span.style, href=span.href)
        else:
            out.append(span)
    return tuple(out)


def _block(role: NoteRole, paragraphs: tuple[tuple[Span, ...], ...], speaker: str, source: str | None,
           url: str | None) -> QuoteBlock:
    text = "\n".join("".join(span.text for span in paragraph) for paragraph in paragraphs)
    return QuoteBlock(type="quote", role=role, text=text, paragraphs=paragraphs, speaker=speaker, source=source, url=url)


def _kind(token: Any) -> str:
    names = {"bullet_list_open": "a list", "ordered_list_open": "a numbered list", "hr": "a rule (---)",
             "code_block": "an indented code block", "fence": "a code block", "image": "an image",
             "html_block": "raw HTML", "html_inline": "raw HTML", "heading_open": "a heading",
             "blockquote_open": "a quote", "table_open": "a table"}
    return names.get(token.type, f"a {token.type.removesuffix('_open').replace('_', ' ')}")
