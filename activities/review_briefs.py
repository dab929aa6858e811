"""The approver's brief under an approval request, read from the database when the notice is sent."""

from __future__ import annotations

from sqlalchemy import Engine

from contracts import Notice
from storage.drafts import current_draft
from storage.engine import session_scope
from storage.review_brief import brief_for_current


class StoredBriefs:
    """``NotificationActivities``' brief: warnings with reasons, earlier decisions, changes since."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, notice: Notice) -> list[str]:
        with session_scope(self._engine) as session:
            draft = current_draft(session=session, agency_code=notice.agency_code, year=notice.year)
            if draft is None:
                return []
            return brief_for_current(
                session=session, agency_code=notice.agency_code, year=notice.year, revision=draft.revision
            )
