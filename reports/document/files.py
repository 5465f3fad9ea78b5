"""Reading and writing brief.json: the writer's bytes, and the readers' one loader.

`dumps` is the only serialiser: two-space indent, UTF-8 as is (no \\u escapes), no NaN, a final
newline, keys in the model's order. `load` reads a file and `parse` checks an already decoded
document; either gives a `Brief` or raises `InputError` saying where and what is wrong (no such
file, not UTF-8, not JSON with its line and column, another schema, or the first field that does
not fit), with the fix the caller passes, so each command keeps its own advice.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reports.core.errors import InputError, Location
from reports.document.model import BLOCK_TYPES, SCHEMA, Brief
from reports.document.upgrade import with_table_roles

FIX = "Pass a brief.json that a build wrote (`python build.py brief`), or rebuild its week"


def plain_json(brief: Brief) -> dict[str, Any]:
    """The document as `json.loads` would read it back: JSON names, ISO dates, lists."""
    return brief.model_dump(mode="json", by_alias=True)


def dumps(brief: Brief) -> bytes:
    """The bytes of brief.json."""
    text = json.dumps(plain_json(brief), indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def load(path: Path, fix: str = FIX) -> Brief:
    """The brief in the file at `path`, or an `InputError` naming the file and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise InputError(Location(path), "no such file", fix) from None
    except UnicodeDecodeError as error:
        raise InputError(Location(path), f"not UTF-8 text (byte {error.start})", fix) from None
    except OSError as error:
        raise InputError(Location(path), f"cannot read the file ({error.strerror or error})", fix) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(Location(path, error.lineno, error.colno), f"not valid JSON ({error.msg})", fix) from None
    except RecursionError:
        raise InputError(Location(path), "not a brief: nested too deeply to read", fix) from None
    return parse(raw, path, fix)


def parse(raw: object, where: Location | Path | str = "brief.json", fix: str = FIX) -> Brief:
    """The brief in a decoded JSON document (`json.loads` output), or an `InputError` at `where`."""
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        found = raw.get("schema") if isinstance(raw, dict) else type(raw).__name__
        raise InputError(where, f"not a brief of schema {SCHEMA} (found {found!r})", fix)
    try:
        brief = Brief.model_validate(raw)
    except ValidationError as error:
        raise InputError(where, _problem(error), fix) from None
    return with_table_roles(brief)  # an older build's file, read as today's


def _problem(error: ValidationError) -> str:
    """The first thing wrong, as `field 'sections.0.blocks.2.figure.png': <what>`."""
    first = error.errors(include_url=False)[0]
    loc = first["loc"]
    # pydantic puts the block's model ("figure") after `blocks.N`: not a key of the file, so left out
    field = ".".join(str(part) for n, part in enumerate(loc)
                     if not (n >= 2 and loc[n - 2] == "blocks" and isinstance(loc[n - 1], int) and part in BLOCK_TYPES))
    return f"field {field!r}: {first['msg']}" if field else first["msg"]
