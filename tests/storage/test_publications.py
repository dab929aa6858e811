"""A publication is recorded once per revision and target, audited once, and freezes the revision."""

from __future__ import annotations

from sqlalchemy import Engine

from storage.audit import audit_trail
from storage.drafts import draft_revision, open_draft
from storage.engine import session_scope
from storage.publications import publication_to, record_publication

DOCUMENT = {
    "meta": {"agency": "清河区教育局", "year": 2024, "format": "2021", "variant": "standard"},
    "sections": {"s1": {"heading": "一、总体情况", "text": "本年度依法公开政府信息。"}},
}


def publish(engine: Engine, location: str) -> None:
    with session_scope(engine) as session:
        record_publication(
            session=session,
            agency_code="edu",
            year=2024,
            revision=1,
            target="local",
            location=location,
            files=["edu-2024-r1.docx", "edu-2024-r1.html"],
        )


def test_publishing_again_to_the_same_target_keeps_the_first_record_and_audit_row(district: Engine) -> None:
    with session_scope(district) as session:
        open_draft(
            session=session,
            agency_code="edu",
            year=2024,
            format_id="2021",
            document=DOCUMENT,
            stage="approving",
        )
        assert (
            publication_to(session=session, agency_code="edu", year=2024, revision=1, target="local") is None
        )
    publish(district, "/srv/site/2024/edu/r1")
    publish(district, "/srv/elsewhere")
    with session_scope(district) as session:
        found = publication_to(session=session, agency_code="edu", year=2024, revision=1, target="local")
        other_target = publication_to(
            session=session, agency_code="edu", year=2024, revision=1, target="portal"
        )
        draft = draft_revision(session=session, agency_code="edu", year=2024, revision=1)
        trail = audit_trail(session=session, agency_code="edu", target="publication:local")
    assert found is not None
    assert (found.location, found.files) == (
        "/srv/site/2024/edu/r1",
        ["edu-2024-r1.docx", "edu-2024-r1.html"],
    )
    assert other_target is None
    assert draft.published_at == found.at
    assert [(e.old_value, e.new_value, e.channel, e.revision) for e in trail] == [
        (None, "/srv/site/2024/edu/r1", "system", 1)
    ]
