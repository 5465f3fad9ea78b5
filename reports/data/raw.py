"""Reading CSV files into text tables that remember, for every row, its line in the file.

Validation needs the line and column of a bad cell to write a useful error, so rows keep
their file line in a `line` column and the table keeps which header column each
canonical column came from.

A data file must be a regular file of at most MAX_BYTES (128 MiB, some years of daily rows
for thousands of assets): a device, FIFO or socket (`--data /dev/zero`) is refused before
it is opened, and no file is read past the limit, so a wrong path fails at once instead of
reading forever or filling memory.
"""

from __future__ import annotations

import csv
import io
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from reports.core.errors import InputError, Location
from reports.data.model import SeriesInfo

LINE = "__line__"
MAX_BYTES = 128 << 20


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
    data = _bytes(path)
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


def check_file(path: Path) -> None:
    """Refuse, without opening it, a path that is not a regular file within MAX_BYTES. Readers call
    it first, and so does anything that reads a data file before them (the parsed-data cache hashes it)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(path, "no such file", "Check the path given with --data.") from None
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror})", "Check the path and its permissions.") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "this is a directory, not a CSV file", "Give the path of a .csv file.")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, "not a regular file (a device, pipe or socket)", "Give the path of a .csv file.")
    if info.st_size > MAX_BYTES:
        raise _too_large(path)


def _bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file within MAX_BYTES (see the module doc)."""
    check_file(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise InputError(path, "no such file", "Check the path given with --data.") from None
    except OSError as error:
        raise InputError(path, f"cannot read the file ({error.strerror})", "Check the path and its permissions.") from None
    if len(data) > MAX_BYTES:  # it grew since stat, or stat cannot tell its size (procfs)
        raise _too_large(path)
    return data


def _too_large(path: Path) -> InputError:
    return InputError(path, f"the file is larger than the {MAX_BYTES >> 20} MiB a data file may have",
                      "Trim it to the days and assets the briefs need, or split it.")
