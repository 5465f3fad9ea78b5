"""The email lays a table out from the brief's own column roles (brief.json `numeric`, each cell's
`tone`), never from positions: a brief from a CSV without ranks has no Rank column, and its rows
are still named by the asset ("- Bitcoin (BTC): price $65,881; ...", not "- $65,881: asset ...")."""

from __future__ import annotations

import json
import re

from conftest import run_cli
from mail_support import mail_env, parse, server, subscribe  # noqa: F401
from test_csv_source import write_csv


def _tables(document: dict) -> list[dict]:
    return [block for section in document["sections"] for block in section["blocks"] if block["type"] == "table"]


def test_a_brief_without_ranks_reads_by_asset_in_the_text_and_html_parts(tmp_path, mail_env):
    data = write_csv(tmp_path / "prices.csv", "2026-01-20", "2026-02-06")  # no rank, no market cap column
    out = tmp_path / "out"
    built = run_cli("brief", "--source", "csv", "--data", str(data), "--out", str(out), "--formats", "json,html",
                    "--week-ending", "2026-02-06")
    assert built.exit_code == 0, built.output
    folder = out / "2026-02-06"
    document = json.loads((folder / "brief.json").read_text(encoding="utf-8"))
    (table,) = _tables(document)
    assert "Rank" not in table["columns"] and table["columns"][0] == "Asset"
    assert table["numeric"] == [title != "Asset" for title in table["columns"]]  # the roles are in the file
    bitcoin = next(row for row in table["rows"] if row[0]["text"] == "Bitcoin (BTC)")
    price, change = bitcoin[1]["text"], bitcoin[2]["text"]
    assert bitcoin[2]["tone"] == ("down" if change.startswith("-") else "up")

    subscribe(tmp_path, "email\nana@example.com\n")
    dry = run_cli("send", str(folder), "--dry-run", "--eml-dir", str(tmp_path / "eml"))
    assert dry.exit_code == 0, dry.output
    message = parse(next((tmp_path / "eml").glob("*.eml")).read_bytes())
    text = message.get_body(("plain",)).get_content()
    line = next(line for line in text.splitlines() if "Bitcoin (BTC)" in line and line.startswith("- "))
    print(line)
    assert line.startswith(f"- Bitcoin (BTC): price {price}; 7-day change {change}"), line
    assert not re.search(r"^- \$", text, re.M)  # no row is named by its price

    html = message.get_body(("html",)).get_content()
    cell = re.search(r'<td class="label"[^>]*>Bitcoin \(BTC\)</td>', html)
    assert cell and "text-align: right" not in cell.group(0)
    tone = "down" if change.startswith("-") else "up"
    assert re.search(rf'<td class="num {tone}"[^>]*>{re.escape(change)}</td>', html)
    assert re.search(rf'<td class="num"[^>]*text-align: right[^>]*>{re.escape(price)}</td>', html)
