"""The directory commands as an operator runs them: the real ``nianbao`` script on a SQLite file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage.engine import make_engine, session_scope
from storage.invites import redeem_invite
from storage.kinds import RoleName
from storage.people import has_role

NIANBAO = Path(sys.executable).parent / "nianbao"
DISTRICT_CSV = (
    "code,name,kind,parent\n"
    "gov,清河区人民政府,government,\n"
    "edu,清河区教育局,department,gov\n"
    "fin,清河区财政局,department,gov\n"
)


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Workspace:
    directory: Path
    database: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.database}"

    def run(self, *args: str, env: dict[str, str] | None = None) -> Outcome:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
        environment |= {"NIANBAO_DATABASE_URL": self.url, **(env or {})}
        result = subprocess.run(
            [str(NIANBAO), *args],
            cwd=self.directory,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Traceback" not in result.stderr
        return Outcome(result.returncode, result.stdout, result.stderr)

    def write(self, name: str, text: str, encoding: str = "utf-8") -> str:
        (self.directory / name).write_text(text, encoding=encoding)
        return name


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(directory=tmp_path, database=tmp_path / "db" / "nianbao.db")


@pytest.fixture
def district(workspace: Workspace) -> Workspace:
    assert workspace.run("agencies", "import", workspace.write("district.csv", DISTRICT_CSV)).code == 0
    return workspace


def listed_codes(workspace: Workspace) -> list[str]:
    outcome = workspace.run("agencies", "list", "--json")
    assert outcome.code == 0
    return [record["code"] for record in json.loads(outcome.out)]


def test_import_then_list_shows_every_agency_with_its_government(workspace: Workspace) -> None:
    imported = workspace.run("agencies", "import", workspace.write("district.csv", DISTRICT_CSV))
    assert imported.code == 0
    assert "已导入 3 个机关（政府 1 个，部门 2 个）：新增 3 个，更新 0 个" in imported.out
    listing = workspace.run("agencies", "list")
    assert "edu\t清河区教育局\t部门，隶属 清河区人民政府" in listing.out
    assert "共 3 个机关" in listing.out
    records = json.loads(workspace.run("agencies", "list", "--json").out)
    assert {
        "code": "fin",
        "name": "清河区财政局",
        "kind": "department",
        "parent": "gov",
        "active": True,
    } in records


def test_reimport_updates_and_an_excel_gb18030_file_is_read(district: Workspace) -> None:
    name = district.write(
        "renamed.csv", "code,name,kind,parent\r\nedu,清河区教育体育局,department,gov\r\n", "gb18030"
    )
    outcome = district.run("agencies", "import", name)
    assert (outcome.code, "新增 0 个，更新 1 个" in outcome.out) == (0, True)
    assert "清河区教育体育局" in district.run("agencies", "list").out


def test_a_bad_line_is_named_and_nothing_is_imported(workspace: Workspace) -> None:
    bad = "code,name,kind,parent\ngov,清河区人民政府,government,\nedu,清河区教育局,bureau,gov\n"
    outcome = workspace.run("agencies", "import", workspace.write("bad.csv", bad))
    assert outcome.code == 1
    assert "第 3 行：机关类型「bureau」无效" in outcome.err
    assert listed_codes(workspace) == []


def test_a_missing_file_is_unreadable_input(workspace: Workspace) -> None:
    outcome = workspace.run("agencies", "import", "nowhere.csv")
    assert (outcome.code, outcome.err.strip()) == (2, "错误：文件 nowhere.csv 不存在")


def test_people_add_creates_then_adds_roles_and_says_so(district: Workspace) -> None:
    first = district.run(
        "people", "add", "--name", "王芳", "--agency", "edu", "--role", "officer", "--chat-id", "8001"
    )
    assert first.code == 0
    assert "已添加人员 王芳（代码 P1），角色：清河区教育局 信息公开工作人员" in first.out
    assert "聊天账号 8001 已绑定到 王芳" in first.out
    second = district.run("people", "add", "--name", "王芳", "--agency", "gov", "--role", "coordinator")
    assert "人员 王芳（代码 P1）已存在，已为其增加角色：清河区人民政府 政务公开主管部门" in second.out
    again = district.run("people", "add", "--name", "王芳", "--agency", "gov", "--role", "coordinator")
    assert "未作更改" in again.out
    district.run("people", "add", "--name", "赵局长", "--agency", "fin", "--role", "head")
    everyone = district.run("people", "list").out
    assert (
        "P1\t王芳\t清河区教育局 信息公开工作人员；清河区人民政府 政务公开主管部门\t聊天账号：8001" in everyone
    )
    assert "赵局长" in everyone
    only_edu = district.run("people", "list", "--agency", "edu").out
    assert ("王芳" in only_edu, "赵局长" in only_edu) == (True, False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--agency", "nope", "--role", "officer"), "错误：没有代码为「nope」的机关"),
        (("--agency", "edu", "--role", "boss"), "错误：角色「boss」无效，可选：officer（信息公开工作人员）"),
        (("--agency", "edu", "--role", "head", "--chat-id", "abc"), "错误：聊天账号编号「abc」应为整数"),
    ],
)
def test_people_add_refuses_bad_input_and_stores_nothing(
    district: Workspace, args: tuple[str, ...], message: str
) -> None:
    outcome = district.run("people", "add", "--name", "李四", *args)
    assert outcome.code == 1
    assert message in outcome.err
    assert "尚无人员" in district.run("people", "list").out


def test_an_invite_code_printed_by_the_cli_binds_a_chat_once(district: Workspace) -> None:
    district.run("people", "add", "--name", "王芳", "--agency", "gov", "--role", "coordinator")
    outcome = district.run("invite", "--agency", "edu", "--role", "reviewer", "--by", "王芳")
    assert outcome.code == 0
    code = re.search(r"邀请码：([A-Z0-9]+)", outcome.out)
    assert code is not None
    assert re.search(
        r"清河区教育局 分管领导；仅可使用一次，有效期至 \d{4}-\d\d-\d\d \d\d:\d\d（北京时间）", outcome.out
    )
    assert f"/start {code[1]}" in outcome.out
    engine = make_engine(district.url)
    try:
        with session_scope(engine) as session:
            person = redeem_invite(session=session, code=code[1], chat_id=9001, name="钱副局长").person
            assert person.id is not None
            assert has_role(session=session, person_id=person.id, agency_code="edu", role=RoleName.REVIEWER)
    finally:
        engine.dispose()


def test_only_a_coordinator_may_issue_an_invite(district: Workspace) -> None:
    district.run("people", "add", "--name", "李科员", "--agency", "edu", "--role", "officer")
    outcome = district.run("invite", "--agency", "edu", "--role", "head", "--by", "李科员")
    assert (outcome.code, outcome.out) == (1, "")
    assert "李科员 不是协调人，不能签发邀请码" in outcome.err
    assert district.run("invite", "--agency", "zzz", "--role", "head").code == 1


def test_the_default_database_lives_under_var_of_the_current_directory(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NIANBAO_")}
    result = subprocess.run(
        [str(NIANBAO), "agencies", "list"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "尚无机关" in result.stdout
    assert (tmp_path / "var" / "nianbao.db").is_file()


def test_a_bad_setting_is_named_in_chinese_and_secrets_are_not_shown(workspace: Workspace) -> None:
    outcome = workspace.run(
        "agencies", "list", env={"NIANBAO_STUCK_DAYS": "many", "NIANBAO_BOT_TOKEN": "123:very-secret-token"}
    )
    assert outcome.code == 1
    assert "NIANBAO_STUCK_DAYS（停滞天数）" in outcome.err
    assert "very-secret-token" not in outcome.err + outcome.out


TWO_DISTRICTS_CSV = DISTRICT_CSV + "sz,市中区人民政府,government,\nsz-xfj,市中区信访局,department,sz\n"


def test_a_namesake_elsewhere_needs_a_code(workspace: Workspace) -> None:
    assert workspace.run("agencies", "import", workspace.write("d.csv", TWO_DISTRICTS_CSV)).code == 0
    assert (
        workspace.run("people", "add", "--name", "王填报", "--agency", "edu", "--role", "officer").code == 0
    )
    refused = workspace.run("people", "add", "--name", "王填报", "--agency", "sz-xfj", "--role", "officer")
    assert refused.code == 1
    assert "--code" in refused.err
    added = workspace.run(
        "people",
        "add",
        "--name",
        "王填报",
        "--agency",
        "sz-xfj",
        "--role",
        "officer",
        "--code",
        "13800000001",
    )
    assert added.code == 0, added.err
    assert "已添加人员 王填报（代码 13800000001）" in added.out
    listing = workspace.run("people", "list", "--agency", "sz-xfj").out
    assert "13800000001\t王填报\t市中区信访局 信息公开工作人员" in listing
    assert "清河区" not in listing


def test_a_district_is_set_up_with_two_imports_and_invites_go_to_a_csv(workspace: Workspace) -> None:
    agencies = ["code,name,kind,parent", "qh,清河区人民政府,government,"]
    agencies += [f"qh-{n:03d},清河区第{n}局,department,qh" for n in range(1, 300)]
    people = ["code,name,agency,role"]
    for n in range(1, 300):
        people += [
            f"1390000{n:04d},填报{n},qh-{n:03d},officer",
            f"1370000{n:04d},审核{n},qh-{n:03d},reviewer",
        ]
        people.append(f"1350000{n:04d},局长{n},qh-{n:03d},head")
    people += [
        "13300000000,区协调,qh,coordinator",
        "13300000001,区填报,qh,officer",
        "13300000002,区长,qh,head",
    ]
    imported = workspace.run("agencies", "import", workspace.write("a.csv", "\n".join(agencies) + "\n"))
    assert imported.code == 0, imported.err
    bad = "\n".join([*people, "x y,坏代码,qh-001,officer", "13600000000,无机关,qh-999,officer"]) + "\n"
    refused = workspace.run("people", "import", workspace.write("bad.csv", bad))
    assert refused.code == 1
    assert "2 处错误" in refused.err
    assert f"第 {len(people) + 1} 行" in refused.err
    assert f"第 {len(people) + 2} 行" in refused.err
    assert (
        "共 0 人" in workspace.run("people", "list").out or "尚无人员" in workspace.run("people", "list").out
    )
    done = workspace.run("people", "import", workspace.write("people.csv", "\n".join(people) + "\n"))
    assert done.code == 0, done.err
    assert "新增人员 900 人" in done.out
    invites = workspace.run("invite", "--out", "invites.csv")
    assert invites.code == 0, invites.err
    rows = (workspace.directory / "invites.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "code,name,agency,agency_name,role,invite,expires"
    assert len(rows) == 901
    assert "北京时间" in rows[1]
