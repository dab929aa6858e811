"""The draft is the stored document: each edit is parsed and checked once, stored with its audit rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.editing import EditingActivities
from contracts import Actor, Channel, DraftEdit, DraftKey, FormatVariant, OpenDraft
from domain.document import from_document
from storage import drafts
from storage.agencies import import_agencies, parse_agency_csv
from storage.audit import audit_trail
from storage.engine import make_engine, read_scope, session_scope
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.people import add_person_with_role
from tests.workflows.cycle_env import report_document

AGENCY, YEAR = "edu", 2019


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    upgrade(url)
    migrated = make_engine(url)
    with session_scope(migrated) as session:
        import_agencies(
            session=session, rows=parse_agency_csv("code,name,kind,parent\nedu,区信访办,department,\n")
        )
    yield migrated
    migrated.dispose()


@pytest.fixture
def officer(engine: Engine) -> Actor:
    with session_scope(engine) as session:
        person = add_person_with_role(
            session=session, name="王填报", agency_code=AGENCY, role=RoleName.OFFICER
        )
        assert person.person.id is not None
        return Actor(person.person.id, "王填报", Channel.BOT)


def stored(engine: Engine) -> dict[str, Any]:
    with read_scope(engine) as session:
        draft = drafts.require_draft(session=session, agency_code=AGENCY, year=YEAR)
        return dict(draft.document)


def test_typed_figures_are_parsed_once_stored_and_audited(engine: Engine, officer: Actor) -> None:
    env, editing = ActivityEnvironment(), EditingActivities(engine)
    opened = env.run(editing.open_report, OpenDraft(AGENCY, YEAR, "区信访办"))
    key = DraftKey(AGENCY, YEAR, opened.revision)
    result = env.run(
        editing.apply_edit, DraftEdit(key, officer, figures={"s3.new.natural": "１２", "s3.new.legal": "3"})
    )

    assert result.changed == {"s3.new.natural": "12", "s3.new.legal": "3"}
    assert result.progress.filled == opened.filled + len(result.changed)
    assert "s3.new.natural" not in result.progress.missing
    assert from_document(stored(engine)).cells["s3.new.natural"] == 12
    with session_scope(engine) as session:
        rows = [
            (e.target, e.old_value, e.new_value, e.person_id, e.channel)
            for e in audit_trail(session=session, agency_code=AGENCY, year=YEAR)
        ]
    assert ("s3.new.natural", None, "12", officer.person_id, "bot") in rows


def test_a_bad_figure_fails_at_once_and_nothing_is_stored(engine: Engine, officer: Actor) -> None:
    env, editing = ActivityEnvironment(), EditingActivities(engine)
    opened = env.run(editing.open_report, OpenDraft(AGENCY, YEAR, "区信访办"))
    before = stored(engine)
    edit = DraftEdit(
        DraftKey(AGENCY, YEAR, opened.revision),
        officer,
        figures={"s3.new.natural": "7", "s3.new.commercial": "1.5"},
    )
    with pytest.raises(ApplicationError, match="整数") as refused:
        env.run(editing.apply_edit, edit)
    assert refused.value.non_retryable
    assert stored(engine) == before


def test_a_submitted_document_keeps_its_notes_and_writes_its_audit_rows_in_one_batch(
    engine: Engine, officer: Actor
) -> None:
    env, editing = ActivityEnvironment(), EditingActivities(engine)
    opened = env.run(editing.open_report, OpenDraft(AGENCY, YEAR, "区信访办"))
    document = report_document("000")
    inserts: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("INSERT INTO audit_entry"):
            inserts.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        result = env.run(
            editing.apply_edit,
            DraftEdit(DraftKey(AGENCY, YEAR, opened.revision), officer, document=document, source="000.txt"),
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert len(result.changed) > 50
    assert len(inserts) <= 2
    assert from_document(stored(engine)).notes == from_document(document).notes
    assert result.progress.format.variant is FormatVariant.STANDARD
    assert result.progress.format.format_id == "2019"
