"""brief.json's one model (`reports.document`): every golden brief reads and writes back byte for byte,
the readers get what they use from it, and a damaged or foreign file is a clear error (exit 2)
naming the file and what is wrong. The checker reads a brief without loading pandas."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from reports import document
from reports.core.errors import InputError
from reports.document import SCHEMA, Brief, FigureBlock, TableBlock
from reports.document.model import BLOCK_TYPES

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = sorted((ROOT / "tests" / "golden").rglob("brief.json"))
MARKET = ROOT / "tests" / "golden" / "2026-02-06" / "brief.json"


def _name(path: Path) -> str:
    return path.parent.relative_to(ROOT / "tests" / "golden").as_posix()


def test_the_golden_set_has_market_and_asset_briefs():
    assert len(GOLDEN) == 20 and MARKET in GOLDEN
    assert sum("assets" in path.parts for path in GOLDEN) == 15


@pytest.mark.parametrize("path", GOLDEN, ids=_name)
def test_every_golden_brief_reads_and_writes_back_the_same_bytes(path):
    raw = path.read_bytes()
    brief = document.load(path)
    assert document.dumps(brief) == raw
    assert document.plain_json(brief) == json.loads(raw)  # the same document, key for key and type for type
    assert list(document.plain_json(brief)) == list(json.loads(raw))  # in the same order


def test_the_model_holds_what_the_readers_use():
    brief = document.load(MARKET)
    assert brief.schema_ == SCHEMA == "crypto-weekly-brief/1"
    assert brief.week.end == date(2026, 2, 6) and brief.week.start < brief.week.end
    assert brief.published_at == datetime(2026, 2, 9, 6, tzinfo=timezone.utc) == brief.updated_at  # the Monday after
    assert brief.asset is None and document.load(MARKET.parents[1] / "assets" / "bitcoin" / "2026-02-06" / "brief.json").asset == "bitcoin"
    kinds = [block.kind for section in brief.sections for block in section.blocks]
    assert set(kinds) == set(BLOCK_TYPES) - {"quote"}  # every kind of block but the editor's notes (test_notes.py)
    figures = [block for section in brief.sections for block in section.blocks if isinstance(block, FigureBlock)]
    assert {figure.chart for figure in figures} == {chart.chart for chart in brief.charts}
    table = next(block for section in brief.sections for block in section.blocks if isinstance(block, TableBlock))
    assert all(len(row) == len(table.columns) for row in table.rows)
    assert brief.facts["week.end"] == "2026-02-06"  # facts hold JSON values, dates as ISO days
    cited = {key for section in brief.sections for block in section.blocks
             for sentence in document.block_sentences(block) for key in sentence.facts}
    assert cited and cited <= brief.facts.keys()


def test_models_are_frozen():
    brief = document.load(MARKET)
    with pytest.raises(ValidationError):
        brief.headline = "Something else"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        brief.sections[0].blocks[0].kind = "subhead"  # type: ignore[misc]


def test_the_writer_and_the_reader_agree_on_the_block_kind_spelling():
    """The file says `type`; the model (and every template) says `kind`."""
    raw = json.loads(MARKET.read_text(encoding="utf-8"))
    first = raw["sections"][0]["blocks"][0]
    assert "type" in first and "kind" not in first
    assert document.parse(raw).sections[0].blocks[0].kind == first["type"]
    templates = "".join(path.read_text(encoding="utf-8") for path in (ROOT / "templates").rglob("*.j2"))
    assert "block.kind" in templates and "block.type" not in templates


# --- damaged and foreign files -------------------------------------------------------------------------


def _set(*keys_and_value):
    *keys, value = keys_and_value

    def edit(doc):
        target = doc
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return edit


def _drop_first_chart(doc):
    doc["charts"].pop(0)


def _drop(key):
    return lambda doc: doc.pop(key)


BAD = [
    (_set("headline", 5), "field 'headline': Input should be a valid string"),
    (_set("surprise", True), "field 'surprise': Extra inputs are not permitted"),
    (_drop("facts"), "field 'facts': Field required"),
    (_set("publishedAt", "yesterday"), "field 'publishedAt'"),
    (_set("week", "end", "2026-02-30"), "field 'week.end'"),
    (_set("sections", 0, "blocks", 0, "type", "poem"), "field 'sections.0.blocks.0': a block's type must be one of"),
    (_set("sections", 0, "blocks", 0, "kind", "paragraph"), "field 'sections.0.blocks.0.kind': Extra inputs"),
    (_set("charts", 0, "png", "../../../elsewhere.png"), "field 'charts.0.png'"),
    (_drop_first_chart, "which `charts` does not list"),
    (_set("assets", 0, "close", float("nan")), "field 'assets.0.close': Input should be a finite number"),
    (_set("schema", "crypto-weekly-brief/2"), "not a brief of schema crypto-weekly-brief/1 (found 'crypto-weekly-brief/2')"),
    (_drop("schema"), "not a brief of schema crypto-weekly-brief/1 (found None)"),
]


@pytest.fixture(scope="module")
def market() -> dict:
    return json.loads(MARKET.read_text(encoding="utf-8"))


@pytest.mark.parametrize("edit, says", BAD, ids=[says[:40] for _, says in BAD])
def test_a_brief_that_does_not_fit_the_model_is_a_clear_error(tmp_path, market, edit, says):
    doc = copy.deepcopy(market)
    edit(doc)
    path = tmp_path / "brief.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # json.dumps writes NaN as NaN, which json.loads reads
    with pytest.raises(InputError) as raised:
        document.load(path, "Fix it.")
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith(f"{path}: ") and says in str(raised.value), str(raised.value)
    assert str(raised.value).endswith("Fix it.")


@pytest.mark.parametrize("content, says", [
    (b'{"schema": "crypto-weekly-brief/1",\n "headline": }', "line 2, column 14: not valid JSON"),
    (b'["not", "a", "brief"]', "not a brief of schema crypto-weekly-brief/1 (found 'list')"),
    (b'"crypto-weekly-brief/1"', "not a brief of schema crypto-weekly-brief/1 (found 'str')"),
    (b'{"schema": "crypto-weekly-brief/1", "headline": "caf\xe9"}', "not UTF-8 text (byte 52)"),
    (b"[" * 100_000, "not a brief: nested too deeply to read"),
])
def test_a_file_that_is_not_a_brief_is_a_clear_error(tmp_path, content, says):
    path = tmp_path / "brief.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        document.load(path)
    assert raised.value.exit_code == 2 and str(path) in str(raised.value) and says in str(raised.value), str(raised.value)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        document.load(tmp_path / "brief.json")


def test_the_mailer_reads_a_brief_through_the_model(tmp_path, market):
    from reports.publish.mail.edition import read_edition

    doc = copy.deepcopy(market)
    doc["sections"][1]["blocks"][0]["type"] = "poem"
    (tmp_path / "brief.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_edition(tmp_path)
    assert raised.value.exit_code == 2 and "field 'sections.1.blocks.0': a block's type" in str(raised.value)
    assert "build.py brief --formats" in str(raised.value)


def test_the_model_is_the_one_definition_of_the_schema():
    sources = {path: path.read_text(encoding="utf-8") for path in (ROOT / "reports").rglob("*.py")}
    defining = [path.relative_to(ROOT).as_posix() for path, text in sources.items() if '"crypto-weekly-brief/1"' in text]
    assert defining == ["reports/document/model.py"]
    assert isinstance(document.parse(json.loads(MARKET.read_text(encoding="utf-8"))), Brief)


# --- the checker without pandas ----------------------------------------------------------------------------


def _fresh(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)


def test_importing_the_checker_loads_no_pandas():
    done = _fresh("import sys, reports.check.report, reports.cli.briefs, reports.cli.main; "
                  "print('pandas' in sys.modules)")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"


def test_checking_a_brief_from_the_command_line_loads_no_pandas():
    code = f"""
import sys
from reports.cli.main import main
try:
    main(["check", {str(MARKET)!r}])
except SystemExit as done:
    code = done.code
print("exit", code, "pandas" in sys.modules)
"""
    done = _fresh(code)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "exit 0 False", done.stdout[-2000:]
