"""brief.json's building blocks: the strict base model and the value types its fields share."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer

from reports.core.safepath import path_problem


def _stamp(moment: datetime) -> str:
    """A publication time as brief.json writes it: ISO 8601, UTC as `Z`."""
    return moment.isoformat().replace("+00:00", "Z")


def _chart_file(png: str) -> str:
    """The chart file is read from the week's folder and published beside its page: it stays there."""
    problem = path_problem(png)
    if problem is not None:
        raise ValueError(f"the chart file {png[:80]!r} would leave the week's folder: {problem}")
    return png


Stamp = Annotated[datetime, PlainSerializer(_stamp, return_type=str, when_used="json")]
IsoTime = Annotated[datetime, PlainSerializer(datetime.isoformat, return_type=str, when_used="json")]
ChartFile = Annotated[str, AfterValidator(_chart_file)]


class Model(BaseModel):
    """Frozen, and strict about keys: a key the schema does not know is an error, not ignored.
    No NaN or infinity anywhere (JSON has none; `json.loads` would let `NaN` through)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
