"""The console's actions: each needs the form's CSRF token and a coordinator of that agency, each is
audited, and each goes through the cycle's own update (here a recording stand-in for Temporal)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from storage.audit import audit_trail
from storage.engine import session_scope
from storage.extensions import extensions_of
from storage.tables import Outbox
from tests.web.conftest import RecordingCycle, sign_in


def test_remind_goes_through_the_cycle_as_the_signed_in_coordinator(
    client: TestClient, cycle: RecordingCycle
) -> None:
    csrf = sign_in(client)
    answer = client.post("/console/2024/qinghe-xfj/remind", data={"csrf": csrf})
    assert answer.status_code == 200
    assert "已发送提醒：1 人" in answer.text
    [(code, year, actor)] = cycle.reminded
    assert (code, year, actor.name, actor.channel.value) == ("qinghe-xfj", 2024, "郑协调", "web")


def test_an_action_without_the_csrf_token_is_refused_and_does_nothing(
    client: TestClient, cycle: RecordingCycle, engine: Engine
) -> None:
    sign_in(client)
    assert client.post("/console/2024/qinghe-xfj/remind", data={}).status_code == 403
    assert client.post("/console/2024/qinghe-xfj/remind", data={"csrf": "forged"}).status_code == 403
    extend = {"deadline": "2025-02-28", "reason": "机构改革"}
    assert client.post("/console/2024/qinghe-xfj/extend", data=extend).status_code == 403
    assert cycle.reminded == []
    with session_scope(engine) as session:
        assert extensions_of(session=session, agency_code="qinghe-xfj", year=2024) == []


def test_actions_without_a_session_are_refused(client: TestClient, cycle: RecordingCycle) -> None:
    page = client.get("/console/signin")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    answer = client.post("/console/2024/qinghe-xfj/remind", data={"csrf": csrf})
    assert answer.status_code == 401
    assert cycle.reminded == []


def test_another_regions_coordinator_cannot_act(client: TestClient, cycle: RecordingCycle) -> None:
    csrf = sign_in(client, "韩协调")
    assert client.post("/console/2024/qinghe-xfj/remind", data={"csrf": csrf}).status_code == 403
    answer = client.post("/console/remind-all", data={"csrf": csrf, "year": "2024", "parent": "qinghe"})
    assert answer.status_code == 403
    assert cycle.reminded == []


def test_a_reviewer_cannot_act(client: TestClient, cycle: RecordingCycle) -> None:
    csrf = sign_in(client, "李审核")
    assert client.post("/console/2024/qinghe-edu/remind", data={"csrf": csrf}).status_code == 403
    assert client.post("/console/kickoff", data={"csrf": csrf, "year": "2024"}).status_code == 403
    assert cycle.reminded == []
    assert cycle.kickoffs == []


def test_a_refusal_of_the_cycle_is_shown_with_its_reason(client: TestClient, cycle: RecordingCycle) -> None:
    cycle.refuse.add("qinghe-edu")
    csrf = sign_in(client)
    answer = client.post("/console/2024/qinghe-edu/remind", data={"csrf": csrf})
    assert answer.status_code == 409
    assert "报告已发布，无需提醒" in answer.text


def test_remind_all_skips_the_published_and_those_reminded_today(
    client: TestClient, cycle: RecordingCycle, engine: Engine
) -> None:
    with session_scope(engine) as session:
        session.connection().execute(
            update(Outbox)
            .where(Outbox.dedup_key.startswith("report-qinghe-fin-"))  # type: ignore[attr-defined]
            .values(created_at=datetime.now(UTC) - timedelta(days=2))
        )
    csrf = sign_in(client)
    answer = client.post("/console/remind-all", data={"csrf": csrf, "year": "2024", "parent": "qinghe"})
    assert answer.status_code == 200
    # qinghe-edu is published, qinghe-ga never started; the fin reminder was two days ago, the rest today.
    assert [code for code, _, _ in cycle.reminded] == ["qinghe-fin"]
    assert "今日已提醒而跳过 4 个机关" in answer.text


def test_extending_a_deadline_records_it_with_the_reason(client: TestClient, engine: Engine) -> None:
    csrf = sign_in(client)
    answer = client.post(
        "/console/2024/qinghe-xfj/extend",
        data={"csrf": csrf, "deadline": "2025-02-28", "reason": "机构改革，数据需重新核对"},
    )
    assert answer.status_code == 200
    assert "截止日期已延至 2025-02-28" in answer.text
    assert "机构改革，数据需重新核对" in answer.text
    with session_scope(engine) as session:
        [entry] = audit_trail(session=session, agency_code="qinghe-xfj", year=2024, target="deadline")
        assert (entry.old_value, entry.channel) == ("2025-01-31", "web")
    overview = client.get("/console/?q=信访").text
    assert "2025-02-28" in overview
    assert "已延期" in overview


def test_an_extension_must_move_the_deadline_later_and_say_why(client: TestClient) -> None:
    csrf = sign_in(client)
    earlier = client.post(
        "/console/2024/qinghe-xfj/extend", data={"csrf": csrf, "deadline": "2025-01-10", "reason": "x"}
    )
    assert earlier.status_code == 400
    assert "应晚于" in earlier.text
    blank = client.post(
        "/console/2024/qinghe-xfj/extend", data={"csrf": csrf, "deadline": "2025-03-01", "reason": " "}
    )
    assert blank.status_code == 400
    assert "必须说明理由" in blank.text


def test_an_extension_moves_an_overdue_agency_back_on_time(client: TestClient) -> None:
    client.app.state.services.clock._today = datetime(2025, 2, 3).date()  # type: ignore[attr-defined]
    csrf = sign_in(client)
    assert "qinghe-xfj" in client.get("/console/?overdue=yes").text
    client.post(
        "/console/2024/qinghe-xfj/extend", data={"csrf": csrf, "deadline": "2025-02-28", "reason": "延期"}
    )
    assert 'data-code="qinghe-xfj"' not in client.get("/console/?overdue=yes").text


def test_kickoff_starts_the_year_for_the_coordinated_agencies_only(
    client: TestClient, cycle: RecordingCycle
) -> None:
    csrf = sign_in(client)
    answer = client.post("/console/kickoff", data={"csrf": csrf, "year": "2025"}, follow_redirects=False)
    assert answer.status_code == 303
    [(year, codes)] = cycle.kickoffs
    assert year == 2025
    assert set(codes) == {
        "qinghe",
        "qinghe-edu",
        "qinghe-fin",
        "qinghe-hlth",
        "qinghe-xfj",
        "qinghe-env",
        "qinghe-ga",
    }
