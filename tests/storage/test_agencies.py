"""Agencies come from the coordinators' CSV file: checked line by line, upserted, listed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from storage.agencies import departments_of, get_agency, import_agencies, list_agencies, parse_agency_csv
from storage.audit import audit_trail
from storage.engine import session_scope
from storage.errors import InvalidEntryError, NotFoundError
from storage.kinds import AgencyKind
from tests.storage.conftest import DISTRICT_CSV


def import_text(engine: Engine, text: str) -> None:
    with session_scope(engine) as session:
        import_agencies(session=session, rows=parse_agency_csv(text))


def codes(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return [agency.code for agency in list_agencies(session=session)]


def test_import_creates_agencies_with_their_government(district: Engine) -> None:
    with session_scope(district) as session:
        assert [a.code for a in departments_of(session=session, government_code="gov")] == ["edu", "fin"]
        assert get_agency(session=session, code="edu").name == "清河区教育局"
        governments = list_agencies(session=session, kind=AgencyKind.GOVERNMENT)
        assert [a.code for a in governments] == ["city", "gov"]


def test_reimport_updates_names_and_parents(district: Engine) -> None:
    with session_scope(district) as session:
        summary = import_agencies(
            session=session,
            rows=parse_agency_csv(
                "code,name,kind,parent\nedu,清河区教育体育局,department,city\nnew,新局,department,gov\n"
            ),
        )
    assert (summary.created, summary.updated) == (1, 1)
    with session_scope(district) as session:
        edu = get_agency(session=session, code="edu")
        assert (edu.name, edu.parent_code) == ("清河区教育体育局", "city")
        trail = audit_trail(session=session, agency_code="edu", target="agency")
        assert [(e.old_value, e.new_value, e.channel) for e in trail] == [
            (None, "清河区教育局（部门，隶属 gov）", "cli"),
            ("清河区教育局（部门，隶属 gov）", "清河区教育体育局（部门，隶属 city）", "cli"),
        ]
        assert [a.code for a in departments_of(session=session, government_code="gov")] == ["fin", "new"]


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("id,name,kind,parent\nx,X,government,\n", "第 1 行：表头应为"),
        ("code,name,kind,parent\nx,X,ministry,\n", "第 2 行：机关类型「ministry」无效"),
        (
            "code,name,kind,parent\nx,X,government,\ny,Y,department,x\nx,X2,government,\n",
            "第 4 行：机关代码「x」与第 2 行重复",
        ),
        (
            "code,name,kind,parent\ny,Y,department,nowhere\n",
            "第 2 行：上级机关「nowhere」既不在文件中也不在系统中",
        ),
        ("code,name,kind,parent\nedu2,Y,department,edu\n", "第 2 行：上级机关「edu」不是政府"),
        ("code,name,kind,parent\nz,Z,government,city\n", "第 2 行：政府「z」的上级一栏应为空"),
        ("code,name,kind,parent\nz,,department,gov\n", "第 2 行：机关「z」缺少名称"),
        ("code,name,kind,parent\nz,Z,department\n", "第 2 行：应有 4 列"),
        ("code,name,kind,parent\n教育局,Z,department,gov\n", "第 2 行：机关代码「教育局」无效"),
        ("code,name,kind,parent\ngov,清河区,department,city\n", "「gov」下仍有部门「edu」"),
        ("code,name,kind,parent\n", "文件中没有任何机关"),
    ],
)
def test_bad_files_are_refused_naming_the_line_and_change_nothing(
    district: Engine, csv_text: str, message: str
) -> None:
    before = codes(district)
    with pytest.raises(InvalidEntryError, match=message):
        import_text(district, csv_text)
    assert codes(district) == before


def test_reimporting_the_same_file_changes_and_records_nothing(district: Engine) -> None:
    with session_scope(district) as session:
        summary = import_agencies(session=session, rows=parse_agency_csv(DISTRICT_CSV))
        assert (summary.created, summary.updated) == (0, 0)
        assert len(audit_trail(session=session, agency_code="gov")) == 1


def test_a_bad_line_after_good_ones_stores_none_of_them(engine: Engine) -> None:
    with pytest.raises(InvalidEntryError, match="第 3 行"):
        import_text(engine, "code,name,kind,parent\na,甲,government,\nb,乙,department,zzz\n")
    assert codes(engine) == []


def test_byte_order_mark_and_blank_lines_are_accepted(engine: Engine) -> None:
    import_text(engine, "\ufeffcode,name,kind,parent\r\n\r\na,甲,government,\r\nb,乙,department,a\r\n")
    assert codes(engine) == ["a", "b"]


def test_unknown_agency_is_a_chinese_error(engine: Engine) -> None:
    with session_scope(engine) as session, pytest.raises(NotFoundError, match="没有代码为「x」的机关"):
        get_agency(session=session, code="x")


agency_codes = st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True)
agency_names = st.text(st.characters(categories=["Lo", "Ll", "Nd"]), min_size=1, max_size=12).filter(
    lambda name: name.strip() == name and "," not in name
)


@settings(max_examples=40, deadline=None)
@given(
    governments=st.lists(
        st.tuples(agency_codes, agency_names), min_size=1, max_size=4, unique_by=lambda r: r[0]
    ),
    departments=st.lists(st.tuples(agency_codes, agency_names), max_size=6, unique_by=lambda r: r[0]),
    data=st.data(),
)
def test_any_valid_file_reads_back_as_written(
    governments: list[tuple[str, str]], departments: list[tuple[str, str]], data: st.DataObject
) -> None:
    government_codes = [code for code, _ in governments]
    departments = [row for row in departments if row[0] not in government_codes]
    lines = [f"{code},{name},government," for code, name in governments]
    parents = [data.draw(st.sampled_from([*government_codes, ""])) for _ in departments]
    lines += [
        f"{code},{name},department,{parent}"
        for (code, name), parent in zip(departments, parents, strict=True)
    ]
    rows = parse_agency_csv("code,name,kind,parent\n" + "\n".join(lines) + "\n")
    assert [(row.code, row.name) for row in rows] == [*governments, *departments]
    assert [row.parent_code for row in rows] == [None] * len(governments) + [p or None for p in parents]
