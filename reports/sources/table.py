"""Reading CSV files into text tables that remember, for every row, its line in the file.

Validation needs the line and column of a bad cell to write a useful error, so rows keep
their file line in a `line` column and the table keeps which header column each
canonical column came from.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..errors import InputError, Location
from ..market import SeriesInfo

LINE = "__line__"


@dataclass(frozen=True)
class RawTable:
    """A CSV file as read: every cell as text, `line` the 1-based file line of each row."""

    path: Path
    header: tuple[str, ...]
    frame: pd.DataFrame
    origin: Mapping[str, str] = field(default_factory=dict)

    def location(self, line: int | None, column: str | None = None) -> Location:
        """Where a cell of canonical column `column` sits in the file."""
        if column is None:
            return Location(self.path, line)
        name = self.origin.get(column, column)
        number = self.header.index(name) + 1 if name in self.header else None
        return Location(self.path, line, number, name)

    def renamed(self, mapping: Mapping[str, str]) -> RawTable:
        """Give file columns their canonical names (file name -> canonical name)."""
        origin = {new: old for old, new in mapping.items()}
        return replace(self, frame=self.frame.rename(columns=dict(mapping)), origin={**self.origin, **origin})

    def where(self, mask: pd.Series) -> RawTable:
        return replace(self, frame=self.frame.loc[mask])


@dataclass(frozen=True)
class RawSeries:
    """A table as read by a source, with the provenance of the series it holds."""

    table: RawTable
    info: SeriesInfo


def read_csv(path: Path) -> RawTable:
    """Read a UTF-8 CSV file with a header line; blank lines are skipped, ragged rows are errors."""
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise InputError(
                Location(path, 1), "the file is empty", "Give it a header line such as date,asset,close and one row per day and asset."
            )
        header = [cell.strip() for cell in header]
        rows, lines = [], []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise InputError(
                    Location(path, reader.line_num),
                    f"this row has {len(row)} fields but the header has {len(header)}",
                    "Make every row have one value per header column (leave a cell empty, not out).",
                )
            rows.append([cell.strip() for cell in row])
            lines.append(reader.line_num)
    except csv.Error as error:
        raise InputError(Location(path, reader.line_num), f"not a readable CSV row ({error})", "Save it as comma-separated values.") from None
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(
            Location(path, 1), f"the header names column {duplicated[0]!r} twice", "Give every column a distinct name."
        )
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame[LINE] = lines
    return RawTable(path=path, header=tuple(header), frame=frame)


def _text(path: Path) -> str:
    """The file's text; a byte that is not UTF-8 is reported with its line and column."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file", "Check the path given with --data.") from None
    except IsADirectoryError:
        raise InputError(path, "this is a directory, not a CSV file", "Give the path of a .csv file.") from None
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror})", "Check the path and its permissions.") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            Location(path, line, column),
            f"not UTF-8 text (cannot decode 0x{data[error.start]:02x} here)",
            "Save the file as UTF-8 CSV.",
        ) from None
