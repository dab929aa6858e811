"""Findings are replaced per validation; warnings are acknowledged with a reason; approvals are recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from domain.rules import Finding as RuleFinding
from storage.audit import audit_trail
from storage.engine import session_scope
from storage.errors import ConflictError, InvalidEntryError
from storage.kinds import Channel, Decision, RoleName
from storage.people import add_person_with_role
from storage.reviews import (
    acknowledge,
    acknowledgements_of,
    approvals_of,
    findings_of,
    record_approval,
    record_findings,
)

BALANCE = RuleFinding(
    rule_id="s3.balance",
    severity="error",
    message="申请总数与办理结果之和不等",
    cells=(("s3.total.total", "总计", 12), ("s3.outcome.total", "办理结果总计", 11)),
    expected="12",
    actual="11",
)
SPIKE = RuleFinding(
    rule_id="s3.spike",
    severity="warning",
    message="申请数较上年增长超过十倍",
    cells=(("s3.new.total", "本年新收政府信息公开申请数量", 480),),
    actual="480",
)


def store(engine: Engine, *findings: RuleFinding) -> None:
    with session_scope(engine) as session:
        record_findings(session=session, agency_code="edu", year=2024, revision=1, findings=findings)


def test_a_new_validation_replaces_the_findings(district: Engine) -> None:
    store(district, BALANCE, SPIKE)
    store(district, SPIKE)
    with session_scope(district) as session:
        [finding] = findings_of(session=session, agency_code="edu", year=2024, revision=1)
    assert (finding.rule_id, finding.cells, finding.expected, finding.actual) == (
        "s3.spike",
        ["s3.new.total"],
        None,
        "480",
    )


def test_only_present_warnings_can_be_acknowledged_and_only_with_a_reason(district: Engine) -> None:
    store(district, BALANCE, SPIKE)
    with session_scope(district) as session:
        with pytest.raises(InvalidEntryError, match="必须说明理由"):
            acknowledge(
                session=session,
                agency_code="edu",
                year=2024,
                revision=1,
                finding_key="s3.spike",
                reason=" ",
                person_id=None,
                channel=Channel.CLI,
            )
        with pytest.raises(ConflictError, match=r"没有待确认的警告「s3\.balance」"):
            acknowledge(
                session=session,
                agency_code="edu",
                year=2024,
                revision=1,
                finding_key="s3.balance",
                reason="x",
                person_id=None,
                channel=Channel.CLI,
            )
        acknowledge(
            session=session,
            agency_code="edu",
            year=2024,
            revision=1,
            finding_key="s3.spike",
            reason="本年度集中收到同一事项申请",
            person_id=None,
            channel=Channel.BOT,
        )
        acknowledge(
            session=session,
            agency_code="edu",
            year=2024,
            revision=1,
            finding_key="s3.spike",
            reason="同一申请人批量申请 450 件",
            person_id=None,
            channel=Channel.BOT,
        )
    with session_scope(district) as session:
        [ack] = acknowledgements_of(session=session, agency_code="edu", year=2024, revision=1)
        trail = audit_trail(session=session, agency_code="edu", target="acknowledge:s3.spike")
    assert ack.reason == "同一申请人批量申请 450 件"
    assert [(e.old_value, e.new_value) for e in trail] == [
        (None, "本年度集中收到同一事项申请"),
        ("本年度集中收到同一事项申请", "同一申请人批量申请 450 件"),
    ]


def test_approvals_are_kept_in_order_and_a_rejection_needs_a_comment(district: Engine) -> None:
    with session_scope(district) as session:
        reviewer = add_person_with_role(
            session=session, name="钱", agency_code="edu", role=RoleName.REVIEWER
        ).person
        assert reviewer.id is not None
        with pytest.raises(InvalidEntryError, match="退回时必须填写意见"):
            record_approval(
                session=session,
                agency_code="edu",
                year=2024,
                revision=1,
                step=1,
                person_id=reviewer.id,
                decision=Decision.REJECT,
                comment="",
                channel=Channel.BOT,
            )
        record_approval(
            session=session,
            agency_code="edu",
            year=2024,
            revision=1,
            step=1,
            person_id=reviewer.id,
            decision=Decision.REJECT,
            comment="第五部分过于简略",
            channel=Channel.BOT,
        )
        record_approval(
            session=session,
            agency_code="edu",
            year=2024,
            revision=1,
            step=1,
            person_id=reviewer.id,
            decision=Decision.APPROVE,
            comment=None,
            channel=Channel.BOT,
        )
    with session_scope(district) as session:
        approvals = approvals_of(session=session, agency_code="edu", year=2024, revision=1)
    assert [(a.decision, a.comment) for a in approvals] == [("reject", "第五部分过于简略"), ("approve", None)]


def test_acknowledging_again_unchanged_records_nothing_new(district: Engine) -> None:
    store(district, SPIKE)
    for _retry in range(2):
        with session_scope(district) as session:
            acknowledge(
                session=session,
                agency_code="edu",
                year=2024,
                revision=1,
                finding_key="s3.spike",
                reason="同一申请人批量申请 450 件 ",
                person_id=None,
                channel=Channel.BOT,
            )
    with session_scope(district) as session:
        trail = audit_trail(session=session, agency_code="edu", target="acknowledge:s3.spike")
        [ack] = acknowledgements_of(session=session, agency_code="edu", year=2024, revision=1)
    assert [(e.old_value, e.new_value) for e in trail] == [(None, "同一申请人批量申请 450 件")]
    assert ack.reason == "同一申请人批量申请 450 件"


def test_a_repeated_request_finds_its_decision_and_another_request_adds_one(district: Engine) -> None:
    with session_scope(district) as session:
        head = add_person_with_role(session=session, name="孙", agency_code="edu", role=RoleName.HEAD).person
        assert head.id is not None
        head_id = head.id
    for request_key in ("report-edu-2024/run-1/7", "report-edu-2024/run-1/7", "report-edu-2024/run-1/12"):
        with session_scope(district) as session:
            record_approval(
                session=session,
                agency_code="edu",
                year=2024,
                revision=1,
                step=2,
                person_id=head_id,
                decision=Decision.REJECT,
                comment="主要领导确认：请补充第五部分",
                channel=Channel.BOT,
                request_key=request_key,
            )
    with session_scope(district) as session:
        approvals = approvals_of(session=session, agency_code="edu", year=2024, revision=1)
        trail = audit_trail(session=session, agency_code="edu", target="approval:2")
    assert [a.request_key for a in approvals] == ["report-edu-2024/run-1/7", "report-edu-2024/run-1/12"]
    assert [(e.new_value, e.person_id) for e in trail] == [
        ("reject: 主要领导确认：请补充第五部分", head_id)
    ] * 2


def test_each_warning_of_a_rule_is_acknowledged_on_its_own(district: Engine) -> None:
    headings = [
        RuleFinding(rule_id="structure.heading", severity="warning", message=f"标题{sid}", subject=sid)
        for sid in ("s1", "s6")
    ]
    store(district, *headings)
    with session_scope(district) as session:
        acknowledge(
            session=session,
            agency_code="edu",
            year=2024,
            revision=1,
            finding_key="structure.heading:s1",
            reason="按本地惯例书写",
            person_id=None,
            channel=Channel.CLI,
        )
        [ack] = acknowledgements_of(session=session, agency_code="edu", year=2024, revision=1)
        assert (ack.rule_id, ack.reason) == ("structure.heading:s1", "按本地惯例书写")
        with pytest.raises(ConflictError):
            acknowledge(
                session=session,
                agency_code="edu",
                year=2024,
                revision=1,
                finding_key="structure.heading:s2",
                reason="理由",
                person_id=None,
                channel=Channel.CLI,
            )
