"""Drafts keep the report document per revision; every change is audited; published revisions stay."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from sqlalchemy import Engine

from storage.audit import audit_trail
from storage.drafts import (
    current_draft,
    open_draft,
    published_draft,
    revisions,
    save_document,
    set_stage,
    start_correction,
)
from storage.engine import session_scope
from storage.errors import ConflictError, InvalidEntryError, NotFoundError
from storage.kinds import Channel, RoleName
from storage.people import add_person_with_role
from storage.publications import publications_of, record_publication


def document(**cells: Any) -> dict[str, Any]:
    return {
        "meta": {"agency": "清河区教育局", "year": 2024, "format": "2021", "variant": "standard"},
        "sections": {
            "s1": {"heading": "一、总体情况", "text": ""},
            "s3": {
                "heading": "三、收到和处理政府信息公开申请情况",
                "cells": {"s3.new.natural": None, "s3.carried_in.natural": None, **cells},
            },
        },
    }


def open_edu(engine: Engine, **cells: Any) -> None:
    with session_scope(engine) as session:
        open_draft(
            session=session,
            agency_code="edu",
            year=2024,
            format_id="2021",
            document=document(**cells),
            stage="drafting",
        )


def officer_id(engine: Engine) -> int:
    with session_scope(engine) as session:
        grant = add_person_with_role(session=session, name="李科员", agency_code="edu", role=RoleName.OFFICER)
        assert grant.person.id is not None
        return grant.person.id


def test_opening_twice_keeps_the_first_draft(district: Engine) -> None:
    open_edu(district, **{"s3.carried_in.natural": 4})
    open_edu(district)
    with session_scope(district) as session:
        [draft] = revisions(session=session, agency_code="edu", year=2024)
        assert draft.document["sections"]["s3"]["cells"]["s3.carried_in.natural"] == 4
        [prefill] = audit_trail(session=session, agency_code="edu", year=2024)
    assert (prefill.target, prefill.old_value, prefill.new_value, prefill.channel) == (
        "s3.carried_in.natural",
        None,
        "4",
        "system",
    )


def test_saving_audits_each_changed_cell_and_section_with_who_and_channel(district: Engine) -> None:
    open_edu(district)
    person = officer_id(district)
    changed = document(**{"s3.new.natural": 12})
    changed["sections"]["s1"]["text"] = "本年度共收到申请12件。"
    with session_scope(district) as session:
        save_document(
            session=session,
            agency_code="edu",
            year=2024,
            document=changed,
            channel=Channel.BOT,
            person_id=person,
        )
        again = save_document(
            session=session,
            agency_code="edu",
            year=2024,
            document=changed,
            channel=Channel.BOT,
            person_id=person,
        )
    assert again == []
    with session_scope(district) as session:
        trail = audit_trail(session=session, agency_code="edu", year=2024)
        assert current_draft(session=session, agency_code="edu", year=2024).document == changed  # type: ignore[union-attr]
    assert sorted((e.target, e.old_value, e.new_value, e.person_id, e.channel) for e in trail) == [
        ("s1", "", "本年度共收到申请12件。", person, "bot"),
        ("s3.new.natural", None, "12", person, "bot"),
    ]
    assert all(entry.at.tzinfo is not None for entry in trail)


def test_stage_changes_are_audited(district: Engine) -> None:
    open_edu(district)
    with session_scope(district) as session:
        set_stage(session=session, agency_code="edu", year=2024, stage="validation")
        set_stage(session=session, agency_code="edu", year=2024, stage="validation")
        trail = audit_trail(session=session, agency_code="edu", target="stage")
    assert [(e.old_value, e.new_value) for e in trail] == [("drafting", "validation")]


def test_a_published_revision_is_frozen_and_a_correction_starts_the_next(district: Engine) -> None:
    open_edu(district, **{"s3.new.natural": 12})
    with session_scope(district) as session:
        record_publication(
            session=session,
            agency_code="edu",
            year=2024,
            revision=1,
            target="local",
            location="/srv/edu-2024",
            files=["edu-2024.docx"],
        )
    with session_scope(district) as session, pytest.raises(ConflictError, match="已经发布，不能再修改"):
        save_document(session=session, agency_code="edu", year=2024, document=document(), channel=Channel.CLI)
    with session_scope(district) as session:
        corrected = start_correction(
            session=session,
            agency_code="edu",
            year=2024,
            reason="申请数统计有误",
            stage="drafting",
            channel=Channel.CLI,
        )
        assert corrected.revision == 2
        fixed = copy.deepcopy(corrected.document)
        fixed["sections"]["s3"]["cells"]["s3.new.natural"] = 13
        save_document(session=session, agency_code="edu", year=2024, document=fixed, channel=Channel.CLI)
    with session_scope(district) as session:
        first, second = revisions(session=session, agency_code="edu", year=2024)
        assert first.document["sections"]["s3"]["cells"]["s3.new.natural"] == 12
        assert second.document["sections"]["s3"]["cells"]["s3.new.natural"] == 13
        assert (second.reason, second.published_at) == ("申请数统计有误", None)
        assert [p.revision for p in publications_of(session=session, agency_code="edu", year=2024)] == [1]
        assert published_draft(session=session, agency_code="edu", year=2024).revision == 1  # type: ignore[union-attr]
        assert published_draft(session=session, agency_code="fin", year=2024) is None


def test_corrections_need_a_reason_and_a_published_revision(district: Engine) -> None:
    open_edu(district)
    with session_scope(district) as session:
        with pytest.raises(InvalidEntryError, match="更正必须说明理由"):
            start_correction(
                session=session,
                agency_code="edu",
                year=2024,
                reason=" ",
                stage="drafting",
                channel=Channel.CLI,
            )
        with pytest.raises(ConflictError, match="尚未发布"):
            start_correction(
                session=session,
                agency_code="edu",
                year=2024,
                reason="x",
                stage="drafting",
                channel=Channel.CLI,
            )


def test_saving_without_a_draft_or_with_a_broken_document_is_refused(district: Engine) -> None:
    with session_scope(district) as session, pytest.raises(NotFoundError, match="2024 年度报告尚未开始起草"):
        save_document(session=session, agency_code="fin", year=2024, document=document(), channel=Channel.CLI)
    open_edu(district)
    with session_scope(district) as session, pytest.raises(InvalidEntryError, match="缺少 meta 或 sections"):
        save_document(
            session=session, agency_code="edu", year=2024, document={"cells": {}}, channel=Channel.CLI
        )
