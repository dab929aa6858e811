"""People hold roles per agency and speak through chat accounts; an agency's roles make its approval chain."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from storage.audit import audit_trail
from storage.engine import session_scope
from storage.errors import ConflictError, InvalidEntryError, NotFoundError
from storage.kinds import RoleName, parse_role
from storage.people import (
    add_person,
    add_person_with_role,
    approval_chain,
    bind_chat,
    chat_ids_of,
    find_person,
    has_role,
    holders,
    list_people,
    person_by_chat,
)


def test_same_name_gets_a_second_role_not_a_second_person(district: Engine) -> None:
    with session_scope(district) as session:
        first = add_person_with_role(session=session, name="王芳", agency_code="edu", role=RoleName.OFFICER)
        second = add_person_with_role(
            session=session, name=" 王芳 ", agency_code="gov", role=RoleName.COORDINATOR
        )
        again = add_person_with_role(session=session, name="王芳", agency_code="edu", role=RoleName.OFFICER)
    assert (first.person_created, second.person_created, again.person_created) == (True, False, False)
    assert (first.role_added, second.role_added, again.role_added) == (True, True, False)
    with session_scope(district) as session:
        [entry] = list_people(session=session)
    assert entry.name == "王芳"
    assert entry.roles == (("edu", RoleName.OFFICER), ("gov", RoleName.COORDINATOR))
    with session_scope(district) as session:
        [grant] = audit_trail(session=session, agency_code="gov", target="role:coordinator")
    assert (grant.old_value, grant.new_value) == (None, f"王芳（编号 {entry.person_id}）")


def test_approval_chain_is_reviewers_in_order_then_the_head(district: Engine) -> None:
    with session_scope(district) as session:
        for name, role in [
            ("赵局长", RoleName.HEAD),
            ("钱副局长", RoleName.REVIEWER),
            ("孙副局长", RoleName.REVIEWER),
            ("李科员", RoleName.OFFICER),
        ]:
            add_person_with_role(session=session, name=name, agency_code="edu", role=role)
        add_person_with_role(session=session, name="周主任", agency_code="fin", role=RoleName.REVIEWER)
        chain = approval_chain(session=session, agency_code="edu")
    assert [(step.step, step.role, step.name) for step in chain] == [
        (1, RoleName.REVIEWER, "钱副局长"),
        (2, RoleName.REVIEWER, "孙副局长"),
        (3, RoleName.HEAD, "赵局长"),
    ]


def test_chat_binding_identifies_the_person_and_cannot_be_taken_over(district: Engine) -> None:
    with session_scope(district) as session:
        grant = add_person_with_role(
            session=session, name="李科员", agency_code="edu", role=RoleName.OFFICER, chat_id=5_000_000_001
        )
        other = add_person(session=session, name="张三")
        other_id = other.id
    with session_scope(district) as session:
        found = person_by_chat(session=session, chat_id=5_000_000_001)
        assert found is not None
        assert found.id == grant.person.id
        assert person_by_chat(session=session, chat_id=42) is None
    assert other_id is not None
    with session_scope(district) as session, pytest.raises(ConflictError, match="已绑定到其他人员"):
        bind_chat(session=session, person_id=other_id, chat_id=5_000_000_001)


def test_holders_lists_each_person_once_with_chats(district: Engine) -> None:
    with session_scope(district) as session:
        add_person_with_role(session=session, name="甲", agency_code="edu", role=RoleName.OFFICER, chat_id=1)
        add_person_with_role(session=session, name="甲", agency_code="edu", role=RoleName.COORDINATOR)
        add_person_with_role(session=session, name="乙", agency_code="edu", role=RoleName.HEAD, chat_id=2)
        add_person_with_role(session=session, name="丙", agency_code="fin", role=RoleName.OFFICER, chat_id=3)
        found = holders(session=session, agency_code="edu", roles=[RoleName.OFFICER, RoleName.COORDINATOR])
    assert [(r.name, r.chat_ids) for r in found] == [("甲", (1,))]


def test_chat_ids_of_a_person_in_binding_order(district: Engine) -> None:
    with session_scope(district) as session:
        grant = add_person_with_role(
            session=session, name="甲", agency_code="edu", role=RoleName.OFFICER, chat_id=9
        )
        unbound = add_person(session=session, name="乙")
        assert grant.person.id is not None
        assert unbound.id is not None
        bind_chat(session=session, person_id=grant.person.id, chat_id=4)
        assert chat_ids_of(session=session, person_id=grant.person.id) == (9, 4)
        assert chat_ids_of(session=session, person_id=unbound.id) == ()


def test_roles_are_checked_per_agency(district: Engine) -> None:
    with session_scope(district) as session:
        grant = add_person_with_role(session=session, name="甲", agency_code="edu", role=RoleName.OFFICER)
        person_id = grant.person.id
        assert person_id is not None
        assert has_role(session=session, person_id=person_id, agency_code="edu", role=RoleName.OFFICER)
        assert not has_role(session=session, person_id=person_id, agency_code="fin", role=RoleName.OFFICER)
        assert not has_role(session=session, person_id=person_id, agency_code="edu", role=RoleName.HEAD)


def test_find_person_by_name_or_number_and_refuse_ambiguity(district: Engine) -> None:
    with session_scope(district) as session:
        first = add_person(session=session, name="张伟")
        add_person(session=session, name="张伟")
        assert find_person(session=session, reference=str(first.id)).id == first.id
        with pytest.raises(ConflictError, match="有 2 人名为「张伟」"):
            find_person(session=session, reference="张伟")
        with pytest.raises(NotFoundError, match="没有名为「李四」的人员"):
            find_person(session=session, reference="李四")


def test_bad_input_is_refused_in_chinese(district: Engine) -> None:
    with pytest.raises(InvalidEntryError, match="角色「boss」无效"):
        parse_role("boss")
    with session_scope(district) as session:
        with pytest.raises(InvalidEntryError, match="姓名不能为空"):
            add_person_with_role(session=session, name="  ", agency_code="edu", role=RoleName.OFFICER)
        with pytest.raises(NotFoundError, match="没有代码为「nope」的机关"):
            add_person_with_role(session=session, name="甲", agency_code="nope", role=RoleName.OFFICER)
    with session_scope(district) as session:
        assert list_people(session=session) == []
