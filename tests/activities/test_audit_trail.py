"""Acknowledging a warning, deciding on an approval step and publishing leave their audit rows, once.

The activity bodies run in Temporal's ``ActivityEnvironment`` against a migrated SQLite file; running an
activity a second time with the same activity info is what Temporal does when it retries it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from temporalio.testing import ActivityEnvironment

from activities.drafts import DraftActivities
from activities.editing import EditingActivities
from activities.publication_target import LocalDirectoryTarget
from activities.publishing import PublishingActivities
from contracts import (
    AcknowledgementRecord,
    Actor,
    Channel,
    Decision,
    DecisionRecord,
    DraftKey,
    OpenDraft,
    PublishRequest,
)
from storage.agencies import import_agencies, parse_agency_csv
from storage.audit import audit_trail
from storage.drafts import draft_revision, save_document
from storage.engine import make_engine, session_scope
from storage.kinds import Channel as StorageChannel
from storage.kinds import RoleName
from storage.migrate import upgrade
from storage.people import add_person_with_role
from storage.publications import publications_of
from storage.reviews import acknowledgements_of, approvals_of

AGENCY, YEAR = "edu", 2024
AGENCIES_CSV = "code,name,kind,parent\nedu,清河区教育局,department,\n"
WARNING = "structure.heading:s6"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'nianbao.db'}"
    upgrade(url)
    migrated = make_engine(url)
    with session_scope(migrated) as session:
        import_agencies(session=session, rows=parse_agency_csv(AGENCIES_CSV))
    yield migrated
    migrated.dispose()


def person(engine: Engine, name: str, role: RoleName) -> Actor:
    with session_scope(engine) as session:
        added = add_person_with_role(session=session, name=name, agency_code=AGENCY, role=role).person
        assert added.id is not None
        return Actor(added.id, name, Channel.BOT)


def checked_draft(engine: Engine, env: ActivityEnvironment) -> DraftKey:
    """A new draft whose heading 六 is misspelt, validated: the heading is a warning to acknowledge."""
    drafts = DraftActivities(engine)
    progress = env.run(EditingActivities(engine).open_report, OpenDraft(AGENCY, YEAR, "清河区教育局"))
    key = DraftKey(AGENCY, YEAR, progress.revision)
    with session_scope(engine) as session:
        document = draft_revision(
            session=session, agency_code=AGENCY, year=YEAR, revision=key.revision
        ).document
        document["sections"]["s6"]["heading"] = "六、其他需求报告的事项"
        save_document(
            session=session, agency_code=AGENCY, year=YEAR, document=document, channel=StorageChannel.CLI
        )
    result = env.run(drafts.check_draft, key)
    assert WARNING in {f.key for f in result.findings if f.severity == "warning"}
    return key


def trail(engine: Engine) -> list[tuple[str, str | None, str | None, int | None, str]]:
    with session_scope(engine) as session:
        return [
            (e.target, e.old_value, e.new_value, e.person_id, e.channel)
            for e in audit_trail(session=session, agency_code=AGENCY, year=YEAR)
            if e.target.startswith(("acknowledge:", "approval:", "publication:"))
        ]


def test_acknowledgement_approval_and_publication_are_audited_once_despite_retries(
    engine: Engine, tmp_path: Path
) -> None:
    env = ActivityEnvironment()
    officer = person(engine, "赵晓梅", RoleName.OFFICER)
    reviewer = person(engine, "钱建国", RoleName.REVIEWER)
    key = checked_draft(engine, env)
    drafts = DraftActivities(engine)
    publishing = PublishingActivities(engine, LocalDirectoryTarget(tmp_path / "site"))
    acknowledgement = AcknowledgementRecord(key, officer, WARNING, "本年度未制发规章，相关栏目为空")
    decision = DecisionRecord(key, Decision(reviewer, 1, 1, approve=True, comment="同意发布"), "分管领导审核")

    for _attempt in range(2):
        env.run(drafts.record_acknowledgement, acknowledgement)
        env.run(drafts.record_decision, decision)
        first = env.run(publishing.publish, PublishRequest(key, "清河区教育局"))
    again = env.run(publishing.publish, PublishRequest(key, "清河区教育局"))

    location = str(tmp_path / "site" / str(YEAR) / AGENCY / f"r{key.revision}")
    assert trail(engine) == [
        (f"acknowledge:{WARNING}", None, "本年度未制发规章，相关栏目为空", officer.person_id, "bot"),
        ("approval:1", None, "approve: 分管领导审核：同意发布", reviewer.person_id, "bot"),
        ("publication:local", None, location, None, "system"),
    ]
    assert first == again
    assert (first.location, first.revision) == (location, key.revision)
    with session_scope(engine) as session:
        [ack] = acknowledgements_of(session=session, agency_code=AGENCY, year=YEAR, revision=key.revision)
        [approval] = approvals_of(session=session, agency_code=AGENCY, year=YEAR, revision=key.revision)
        [publication] = publications_of(session=session, agency_code=AGENCY, year=YEAR)
    assert (ack.reason, ack.person_id) == ("本年度未制发规章，相关栏目为空", officer.person_id)
    assert (approval.decision, approval.comment, approval.person_id) == (
        "approve",
        "分管领导审核：同意发布",
        reviewer.person_id,
    )
    assert publication.at == first.at


def test_a_later_decision_on_the_same_step_is_a_new_approval(engine: Engine) -> None:
    """After a rejection the same reviewer decides again: another activity, so another approval row."""
    env = ActivityEnvironment()
    reviewer = person(engine, "钱建国", RoleName.REVIEWER)
    key = checked_draft(engine, env)
    drafts = DraftActivities(engine)
    env.run(
        drafts.record_decision,
        DecisionRecord(key, Decision(reviewer, 1, 1, False, "数据有误"), "分管领导审核"),
    )
    env.info = dataclasses.replace(env.info, activity_id="second-round")
    env.run(
        drafts.record_decision,
        DecisionRecord(key, Decision(reviewer, 1, 1, False, "数据有误"), "分管领导审核"),
    )

    assert [entry[:3] for entry in trail(engine)] == [
        ("approval:1", None, "reject: 分管领导审核：数据有误"),
        ("approval:1", None, "reject: 分管领导审核：数据有误"),
    ]
    with session_scope(engine) as session:
        approvals = approvals_of(session=session, agency_code=AGENCY, year=YEAR, revision=key.revision)
    assert [(a.decision, a.person_id) for a in approvals] == [("reject", reviewer.person_id)] * 2
