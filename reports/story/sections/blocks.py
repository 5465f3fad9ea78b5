"""Building blocks every section writer shares: paragraphs and bullets that drop missing sentences,
the data table's row, and the thresholds both briefs apply the same way.
"""

from __future__ import annotations

from reports.story.desk import Desk, F
from reports.story.prose import Sentence
from reports.story.model import Bullets, Cell, Paragraph
from reports.story.wording import is_flat, up_down


TIME_OF_DAY_NOTE = 0.02  # snapshot and close differ by this share or more: say so in the data notes


def paragraph(*sentences: Sentence | None) -> Paragraph:
    return Paragraph(tuple(s for s in sentences if s is not None))


def bullets(*items: Sentence | Paragraph | None) -> Bullets:
    return Bullets(tuple(item if isinstance(item, Paragraph) else Paragraph((item,)) for item in items if item is not None))


def all_flat(desk: Desk[F]) -> bool:
    """Nothing moved: no best or worst performer to name."""
    return desk.facts.breadth.rose == desk.facts.breadth.fell == 0


def table_row(move, fmt, has_rank: bool, has_cap: bool) -> tuple[Cell, ...]:
    """One coin's row of the data table (rank, name, price, change, week range, market cap); the
    market and asset briefs share it so their tables read alike."""
    k = f"assets.{move.id}"
    tone = "" if is_flat(move.change_pct) else up_down(move.change_pct)
    row = [Cell(fmt.number(move.rank) if move.rank is not None else "", f"{k}.rank")] if has_rank else []
    row += [
        Cell(f"{move.name} ({move.symbol})", f"{k}.name"),
        Cell(fmt.price(move.close), f"{k}.close"),
        Cell(fmt.percent(move.change_pct, sign=True), f"{k}.change_pct", tone),
        Cell(f"{fmt.price(move.low)} – {fmt.price(move.high)}", f"{k}.low"),
    ]
    if has_cap:
        row.append(Cell(fmt.money(move.market_cap_usd) if move.market_cap_usd is not None else "—", f"{k}.market_cap_usd"))
    return tuple(row)
