"""People are people: a code is who someone is, a name is only what they are called."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from storage.agencies import import_agencies, parse_agency_csv
from storage.engine import session_scope
from storage.errors import ConflictError, InvalidRowsError
from storage.kinds import RoleName
from storage.people import add_person_with_role, find_person, list_people, unassigned_agencies
from storage.people_import import import_people, parse_people_csv


def test_a_namesake_in_another_district_is_not_silently_the_same_person(district: Engine) -> None:
    with session_scope(district) as session:
        first = add_person_with_role(session=session, name="王填报", agency_code="edu", role=RoleName.OFFICER)
        with pytest.raises(ConflictError, match="--code"):
            add_person_with_role(session=session, name="王填报", agency_code="city", role=RoleName.OFFICER)
    with session_scope(district) as session:
        other = add_person_with_role(
            session=session, name="王填报", agency_code="city", role=RoleName.OFFICER, code="13800000001"
        )
        assert other.person_created
        assert other.person.id != first.person.id
        assert find_person(session=session, reference="13800000001").id == other.person.id
        with pytest.raises(ConflictError, match="代码"):
            find_person(session=session, reference="王填报")
        codes = {entry.code for entry in list_people(session=session)}
    assert codes == {f"P{first.person.id}", "13800000001"}


def test_a_code_names_one_person_and_not_another_name(district: Engine) -> None:
    with session_scope(district) as session:
        add_person_with_role(
            session=session, name="李审核", agency_code="edu", role=RoleName.REVIEWER, code="A1"
        )
        with pytest.raises(ConflictError, match="A1"):
            add_person_with_role(
                session=session, name="李四", agency_code="edu", role=RoleName.HEAD, code="A1"
            )
        again = add_person_with_role(
            session=session, name="李审核", agency_code="city", role=RoleName.HEAD, code="A1"
        )
        assert not again.person_created


PEOPLE_CSV = """code,name,agency,role
13900000001,赵填报,edu,officer
13900000002,钱审核,edu,reviewer
13900000001,赵填报,fin,officer
"""


def test_people_import_writes_every_row_when_all_are_valid(district: Engine) -> None:
    with session_scope(district) as session:
        summary = import_people(session=session, rows=parse_people_csv(session, PEOPLE_CSV))
        assert (summary.people_created, summary.roles_added) == (2, 3)
        assert unassigned_agencies(session=session) == [("city", "淮安市人民政府"), ("gov", "清河区人民政府")]


def test_people_import_reports_every_bad_line_and_writes_nothing(district: Engine) -> None:
    with session_scope(district) as session:
        add_person_with_role(
            session=session, name="钱审核", agency_code="gov", role=RoleName.HEAD, code="13900000002"
        )
    bad = PEOPLE_CSV + "13900000003,孙局长,nowhere,head\n,无代码,edu,officer\n13900000002,钱某,fin,boss\n"
    with session_scope(district) as session, pytest.raises(InvalidRowsError) as failure:
        parse_people_csv(session, bad)
    assert [error.line for error in failure.value.errors] == [5, 6, 7]
    message = str(failure.value)
    assert "第 5 行：没有代码为「nowhere」的机关" in message
    assert "第 6 行" in message
    assert "人员代码「13900000002」已属于「钱审核」，不是「钱某」" in message
    with session_scope(district) as session:
        assert len(list_people(session=session)) == 1


def test_agencies_import_reports_every_bad_line_at_once(engine: Engine) -> None:
    text = "code,name,kind,parent\na,甲,government,\nb,,department,a\nc,丙,bureau,a\nd,丁,department,zzz\n"
    with session_scope(engine) as session, pytest.raises(InvalidRowsError) as failure:
        import_agencies(session=session, rows=parse_agency_csv(text))
    assert [error.line for error in failure.value.errors] == [3, 4]
    text = "code,name,kind,parent\na,甲,government,\nb,乙,department,zzz\nc,丙,department,yyy\n"
    with session_scope(engine) as session, pytest.raises(InvalidRowsError) as failure:
        import_agencies(session=session, rows=parse_agency_csv(text))
    assert [error.line for error in failure.value.errors] == [3, 4]
