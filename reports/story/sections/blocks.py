"""Building blocks every section writer shares: paragraphs and bullets that drop missing sentences,
the data table's row, and the thresholds both briefs apply the same way.
"""

from __future__ import annotations

from reports.story.desk import Desk, F
from reports.story.prose import Fragment, Sentence, sentence
from reports.story.model import Bullets, Cell, Column, Paragraph
from reports.story.wording import asset_label, is_flat, up_down


OTHER_BASIS = "†"  # marks a table row priced on another basis than the brief's closes


def caps_shown(moves) -> bool:
    """The market-cap column only when most rows have a value: never a column of dashes."""
    return sum(move.market_cap_usd is not None for move in moves) * 2 > len(moves)


def table_columns(moves) -> tuple[list[Column], bool, bool]:
    has_rank = any(move.rank is not None for move in moves)
    has_cap = caps_shown(moves)
    columns = [Column("Rank", numeric=True)] if has_rank else []
    columns += [Column("Asset"), Column("Price", True), Column("7-day change", True), Column("Week range", True)]
    columns += [Column("Market cap", True)] if has_cap else []
    return columns, has_rank, has_cap


def table_caption(desk: Desk[F], moves, listed: Fragment | None = None) -> Sentence:
    """What the table's prices and ranges are, and which rows (marked) are on another basis: the short basis line
    under the table. `listed`, when given, opens it with what the table holds and where its prices come from."""
    intraday = any(move.intraday_low is not None for move in moves)
    what = "the lowest and highest trade" if intraday else "the lowest and highest daily price"
    other = next((move for move in moves if not move.compared), None)
    marked = Fragment("")
    if other is not None:
        marked = (Fragment(f"; {OTHER_BASIS} marks coins priced from the ") + desk.f.cite(f"sources.{other.series}.title", str)
                  + " (" + desk.f.cite(f"sources.{other.series}.time_of_day", str) + "), whose range is that of those prices "
                  "and whose moves are left out of every comparison")
    opening = listed if listed is not None else Fragment("Prices at ") + desk.f.day("week.end")
    return sentence("{opening}; week range is {what} from {start} to {end}{marked}", opening=opening, end=desk.f.day("week.end"),
                    start=desk.f.day("week.start"), what=what, marked=marked)


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
    intraday = move.intraday_low is not None and move.intraday_high is not None
    low, high = (move.intraday_low, move.intraday_high) if intraday else (move.low, move.high)
    row += [
        Cell(asset_label(move.name, move.symbol) + ("" if move.compared else f" {OTHER_BASIS}"), f"{k}.name"),
        Cell(fmt.price(move.close), f"{k}.close"),
        Cell(fmt.percent(move.change_pct, sign=True), f"{k}.change_pct", tone),
        Cell(f"{fmt.price(low)} – {fmt.price(high)}", f"{k}.intraday_low" if intraday else f"{k}.low"),
    ]
    if has_cap:
        row.append(Cell(fmt.money(move.market_cap_usd) if move.market_cap_usd is not None else "—", f"{k}.market_cap_usd"))
    return tuple(row)
