"""The build's clock: `SOURCE_DATE_EPOCH` pins it so that the same input gives the same files."""

from __future__ import annotations

import os
from datetime import datetime, timezone

from reports.core.errors import UsageError


def now() -> datetime:
    """The current UTC time, or the time in `SOURCE_DATE_EPOCH` (seconds) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch == "":
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    except ValueError:
        raise UsageError(
            f"SOURCE_DATE_EPOCH is {epoch!r}, not a whole number of seconds. "
            "Set it to a Unix time such as 1770422400, or unset it."
        ) from None
