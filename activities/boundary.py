"""The one place where report-core and storage errors become Temporal failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from temporalio.exceptions import ApplicationError

from domain.errors import NianbaoError


@contextmanager
def domain_errors_are_final() -> Iterator[None]:
    """A ``NianbaoError`` (bad data, refused change) will not get better by retrying: fail at once.

    Anything else (a locked database, a full disk, a network error) propagates and Temporal retries it.
    """
    try:
        yield
    except NianbaoError as error:
        raise ApplicationError(str(error), type=type(error).__name__, non_retryable=True) from error
