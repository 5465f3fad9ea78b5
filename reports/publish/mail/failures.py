"""How a send or a dry run that stopped early says so: the row it stopped at and what it was doing."""

from __future__ import annotations

from reports.core.errors import BriefError


class RunStopped(BriefError):
    """The run did not do its job: stopped early (too many failures, a bug at one row) or delivered
    nothing of what it attempted. Exit 1; the ledger says where each row stands."""


def unexpected(email: str, error: BaseException) -> str:
    """The answer recorded for a row whose message raised, and the start of the run's reason."""
    return f"unexpected error at {email}: {type(error).__name__}: {error}"
