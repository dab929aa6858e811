"""Invite codes are single-use and expire; only their hash is stored."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from storage.engine import session_scope
from storage.errors import ConflictError, InviteRefusedError
from storage.invites import create_invite, redeem_invite
from storage.kinds import RoleName
from storage.people import add_person, has_role, list_people
from storage.utc import utc_now

TTL = timedelta(hours=72)


def issue(engine: Engine, role: RoleName = RoleName.OFFICER, for_person_id: int | None = None) -> str:
    with session_scope(engine) as session:
        invite = create_invite(
            session=session, agency_code="edu", role=role, ttl=TTL, for_person_id=for_person_id
        )
        return invite.code


def test_redeeming_binds_the_chat_to_a_new_person_with_the_role(district: Engine) -> None:
    code = issue(district)
    with session_scope(district) as session:
        redemption = redeem_invite(session=session, code=code.lower(), chat_id=777, name="李科员")
    assert (redemption.person.name, redemption.agency_code, redemption.role) == (
        "李科员",
        "edu",
        RoleName.OFFICER,
    )
    with session_scope(district) as session:
        [entry] = list_people(session=session)
    assert (entry.name, entry.roles, entry.chat_ids) == ("李科员", (("edu", RoleName.OFFICER),), (777,))


def test_a_known_chat_gains_the_role_without_a_new_person(district: Engine) -> None:
    first, second = issue(district), issue(district, RoleName.REVIEWER)
    with session_scope(district) as session:
        redeem_invite(session=session, code=first, chat_id=777, name="李科员")
        again = redeem_invite(session=session, code=second, chat_id=777, name="别名")
        person_id = again.person.id
        assert person_id is not None
        assert has_role(session=session, person_id=person_id, agency_code="edu", role=RoleName.REVIEWER)
        assert [entry.name for entry in list_people(session=session)] == ["李科员"]


def test_an_invite_for_a_named_person_binds_that_person(district: Engine) -> None:
    with session_scope(district) as session:
        head = add_person(session=session, name="赵局长")
        head_id = head.id
    code = issue(district, RoleName.HEAD, for_person_id=head_id)
    with session_scope(district) as session:
        redemption = redeem_invite(session=session, code=code, chat_id=900, name="zhao")
    assert redemption.person.id == head_id


def test_used_expired_and_unknown_codes_are_refused_with_the_reason(district: Engine) -> None:
    code = issue(district)
    with session_scope(district) as session:
        redeem_invite(session=session, code=code, chat_id=1, name="甲")
    with session_scope(district) as session, pytest.raises(InviteRefusedError, match="已被使用"):
        redeem_invite(session=session, code=code, chat_id=2, name="乙")
    with session_scope(district) as session:
        expired = create_invite(
            session=session,
            agency_code="edu",
            role=RoleName.OFFICER,
            ttl=TTL,
            now=utc_now() - TTL - timedelta(1),
        ).code
    with session_scope(district) as session, pytest.raises(InviteRefusedError, match="已过期"):
        redeem_invite(session=session, code=expired, chat_id=3, name="丙")
    with session_scope(district) as session, pytest.raises(InviteRefusedError, match="邀请码无效"):
        redeem_invite(session=session, code="NOTACODE23", chat_id=4, name="丁")
    with session_scope(district) as session:
        assert [entry.name for entry in list_people(session=session)] == ["甲"]


def test_a_chat_of_someone_else_cannot_use_a_personal_invite(district: Engine) -> None:
    with session_scope(district) as session:
        target = add_person(session=session, name="赵局长")
        target_id = target.id
    code, officer_code = issue(district, RoleName.HEAD, for_person_id=target_id), issue(district)
    with session_scope(district) as session:
        redeem_invite(session=session, code=officer_code, chat_id=55, name="冒名者")
    with session_scope(district) as session, pytest.raises(ConflictError):
        redeem_invite(session=session, code=code, chat_id=55, name="冒名者")
    with session_scope(district) as session:
        redeem_invite(session=session, code=code, chat_id=56, name="赵")


def test_only_the_hash_of_a_code_is_stored(district: Engine) -> None:
    code = issue(district)
    with district.connect() as connection:
        stored = " ".join(
            str(value) for row in connection.execute(text("SELECT * FROM invite")) for value in row
        )
    assert code not in stored
    assert code.lower() not in stored


def test_two_chats_racing_for_one_code_bind_only_one(district: Engine) -> None:
    code = issue(district)

    def attempt(chat_id: int) -> str:
        try:
            with session_scope(district) as session:
                redeem_invite(session=session, code=code, chat_id=chat_id, name=f"用户{chat_id}")
        except InviteRefusedError as refusal:
            return str(refusal)
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(100, 108)))
    assert outcomes.count("ok") == 1
    assert all("已被使用" in outcome for outcome in outcomes if outcome != "ok")
    with session_scope(district) as session:
        assert len(list_people(session=session)) == 1
