"""Week facts as a table: every scalar fact under a dotted key, which the story cites
sentence by sentence and the JSON output carries.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from reports.facts.asset import BriefFacts
from reports.facts.model import OMIT_EMPTY
from reports.facts.week import Week


def fact_table(facts: BriefFacts) -> dict[str, Any]:
    """Every scalar fact under a dotted key, e.g. `assets.bitcoin.change_pct`, `market_cap.change_usd`.

    Items of a tuple are keyed by their asset (and side), so keys stay stable when the
    order or the set of assets changes. Chart series are left out: a sentence cites
    figures, not whole series.
    """
    table: dict[str, Any] = {}
    for field in dataclasses.fields(facts):
        if field.name != "series":
            _flatten(field.name, getattr(facts, field.name), table)
    return table


def _flatten(prefix: str, value: Any, table: dict[str, Any]) -> None:
    if isinstance(value, Week):
        table.update({f"{prefix}.start": value.start, f"{prefix}.end": value.end, f"{prefix}.base": value.base})
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            if field.metadata.get(OMIT_EMPTY) and not getattr(value, field.name):
                continue  # a later addition that most briefs lack: left out, so their facts keep the keys they had
            _flatten(f"{prefix}.{field.name}", getattr(value, field.name), table)
    elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        for item in value:
            _flatten(f"{prefix}.{_item_key(item)}", item, table)
    else:
        table[prefix] = value


def _item_key(item: Any) -> str:
    key = next(getattr(item, name) for name in ("id", "asset", "series", "key") if hasattr(item, name))
    side = getattr(item, "side", None)
    return f"{key}.{side}" if side else str(key)
