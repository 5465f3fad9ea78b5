"""Bringing a brief.json written by an older build up to today's model, once, for every reader.

Briefs built before tables carried their columns' roles (`numeric`) and their cells' tones leave
both out. Every reader (the site, the email, a check) would otherwise have to guess them its own way;
`parse` fills them in here from the facts the cells cite, the way the writer states them today: a
column is numeric when its cells state numbers (or nothing) and at least one states a number, and a
change cell is toned up or down by its fact's sign unless the move is within the "unchanged" band.
"""

from __future__ import annotations

from reports.document.model import Brief, Cell, JsonValue, TableBlock


def with_table_roles(brief: Brief) -> Brief:
    """The brief with every table's roles and tones stated (unchanged when they all are)."""
    if not any(isinstance(block, TableBlock) and not block.numeric for section in brief.sections for block in section.blocks):
        return brief
    facts = brief.facts
    sections = tuple(section.model_copy(update={"blocks": tuple(
        _stated(block, facts) if isinstance(block, TableBlock) and not block.numeric else block for block in section.blocks)})
        for section in brief.sections)
    return brief.model_copy(update={"sections": sections})


def _stated(block: TableBlock, facts: dict[str, JsonValue]) -> TableBlock:
    def value(cell: Cell) -> float | None:
        found = facts.get(cell.fact) if cell.fact else None
        return float(found) if isinstance(found, (int, float)) and not isinstance(found, bool) else None

    flat = value(Cell(text="", fact="method.unchanged_pct")) or 0.0

    def tone(cell: Cell) -> str:
        number = value(cell)
        if not (cell.fact and cell.fact.endswith("change_pct") and number is not None) or abs(number) < flat:
            return ""
        return "up" if number > 0 else "down"

    numeric = tuple(all(value(row[i]) is not None or _cell_empty(row[i], facts) for row in block.rows)
                    and any(value(row[i]) is not None for row in block.rows) for i in range(len(block.columns)))
    rows = tuple(tuple(cell.model_copy(update={"tone": tone(cell)}) for cell in row) for row in block.rows)
    return block.model_copy(update={"numeric": numeric, "rows": rows})


def _cell_empty(cell: Cell, facts: dict[str, JsonValue]) -> bool:
    return cell.fact is None or facts.get(cell.fact) is None

