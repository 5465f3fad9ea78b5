"""A brief.json written before tables carried their roles and tones is read as today's: `document.parse`
fills them in once from the facts, so the site, the email and every other reader lay it out the same."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reports.document.files import parse
from reports.document.model import TableBlock

GOLDEN = Path(__file__).parent / "golden"
WEEKS = sorted(path.parent.name for path in GOLDEN.glob("20*/brief.json"))


def _tables(brief):
    """The data table: the one table older builds wrote (the drivers table came with the roles)."""
    return [block for section in brief.sections for block in section.blocks
            if isinstance(block, TableBlock) and "Asset" in block.columns]


def _older(raw: dict) -> dict:
    """The same file as an older build wrote it: no `numeric` on tables, no `tone` on cells."""
    for section in raw["sections"]:
        for block in section["blocks"]:
            if block.get("type") == "table":
                block.pop("numeric", None)
                for row in block["rows"]:
                    for cell in row:
                        cell.pop("tone", None)
    return raw


@pytest.mark.parametrize("week", WEEKS)
def test_an_older_file_reads_with_the_roles_and_tones_the_writer_states_today(week):
    text = (GOLDEN / week / "brief.json").read_text(encoding="utf-8")
    today, older = parse(json.loads(text)), parse(_older(json.loads(text)))
    assert _tables(today), "the golden brief has tables"
    stated = [(table.numeric, [[cell.tone for cell in row] for row in table.rows]) for table in _tables(today)]
    assert [(table.numeric, [[cell.tone for cell in row] for row in table.rows]) for table in _tables(older)] == stated
    assert any(any(tone for row in tones for tone in row) for _, tones in stated)  # some cells are toned: the test can fail


def test_a_file_with_its_roles_is_read_as_written():
    raw = json.loads((GOLDEN / WEEKS[0] / "brief.json").read_text(encoding="utf-8"))
    table = next(block for section in raw["sections"] for block in section["blocks"]
                 if block.get("type") == "table" and "Asset" in block["columns"])
    table["numeric"] = [False] * len(table["columns"])  # a writer's choice, however odd, is not second-guessed
    brief = parse(raw)
    assert next(t for t in _tables(brief) if t.caption.text == table["caption"]["text"]).numeric == tuple(table["numeric"])
