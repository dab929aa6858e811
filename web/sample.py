"""Synthetic years for the console's tests, screenshots and benchmark.

``seed_district`` builds a small, realistic district through the repository functions (every change
audited, real findings, approvals and published files); ``seed_bulk`` inserts many agency-years at once
for the benchmark, with the same shape but without an audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlmodel import Session, select

from activities.publication_target import LocalDirectoryTarget
from domain.document import from_document, render_json, to_document
from domain.formats import report_format
from domain.rendering import render_csv, render_docx, render_html
from domain.report import Report, Section
from domain.rules import check_report
from storage.agencies import import_agencies, parse_agency_csv
from storage.credentials import set_password
from storage.cycle_status import upsert_status
from storage.drafts import open_draft, save_document, set_stage, start_correction
from storage.engine import session_scope
from storage.kinds import Channel, Decision, RoleName
from storage.outbox import enqueue
from storage.people import add_person_with_role
from storage.publications import record_publication
from storage.reviews import record_approval, record_findings
from storage.tables import Agency, CycleStatus, Draft, Publication

YEAR = 2024
TODAY = date(2025, 1, 24)
DEPARTMENT_DEADLINE, GOVERNMENT_DEADLINE = date(2025, 1, 31), date(2025, 3, 31)
PASSWORD = "correct-horse-battery"
AGENCIES_CSV = """code,name,kind,parent
qinghe,清河区人民政府,government,
qinghe-edu,清河区教育局,department,qinghe
qinghe-fin,清河区财政局,department,qinghe
qinghe-hlth,清河区卫生健康委员会,department,qinghe
qinghe-xfj,清河区信访局,department,qinghe
qinghe-env,清河区生态环境分局,department,qinghe
qinghe-ga,清河区公安分局,department,qinghe
huaiyin,淮阴区人民政府,government,
huaiyin-edu,淮阴区教育局,department,huaiyin
huaiyin-fin,淮阴区财政局,department,huaiyin
"""
PEOPLE: tuple[tuple[str, str, RoleName], ...] = (
    ("郑协调", "qinghe", RoleName.COORDINATOR),
    ("郑协调", "qinghe-edu", RoleName.COORDINATOR),
    ("郑协调", "qinghe-fin", RoleName.COORDINATOR),
    ("郑协调", "qinghe-hlth", RoleName.COORDINATOR),
    ("郑协调", "qinghe-xfj", RoleName.COORDINATOR),
    ("郑协调", "qinghe-env", RoleName.COORDINATOR),
    ("郑协调", "qinghe-ga", RoleName.COORDINATOR),
    ("韩协调", "huaiyin", RoleName.COORDINATOR),
    ("李审核", "qinghe-edu", RoleName.REVIEWER),
    ("张主任", "qinghe-edu", RoleName.HEAD),
    ("王填报", "qinghe-edu", RoleName.OFFICER),
    ("赵填报", "qinghe-fin", RoleName.OFFICER),
    ("钱审核", "qinghe-fin", RoleName.REVIEWER),
    ("孙局长", "qinghe-fin", RoleName.HEAD),
    ("周填报", "qinghe-hlth", RoleName.OFFICER),
    ("吴填报", "qinghe-xfj", RoleName.OFFICER),
    ("冯填报", "qinghe-env", RoleName.OFFICER),
    ("陈填报", "qinghe", RoleName.OFFICER),
    ("褚填报", "huaiyin-edu", RoleName.OFFICER),
)
# code → (stage, share of cells filled); agencies absent here have not started.
PLAN: dict[str, tuple[str, float]] = {
    "qinghe": ("drafting", 0.3),
    "qinghe-edu": ("published", 1.0),
    "qinghe-fin": ("approving", 1.0),
    "qinghe-hlth": ("acknowledging", 0.9),
    "qinghe-xfj": ("drafting", 0.5),
    "qinghe-env": ("drafting", 0.0),
    "huaiyin-edu": ("drafting", 0.7),
}


@dataclass(frozen=True)
class District:
    people: dict[str, int]
    publish_dir: Path


PROSE = {
    "s1": "本年度，我单位认真贯彻《中华人民共和国政府信息公开条例》，主动公开政府信息，依法办理依申请公开。",
    "s5": "存在的主要问题是公开内容的及时性有待提高；下一步将完善发布审核机制。",
    "s6": "无。",
}


def _filled(name: str, share: float, *, figure: int = 0) -> Report:
    """A report with ``share`` of its cells filled (zeros add up, so no arithmetic errors), prose when done."""
    report = Report.blank(report_format("2021").id.value, agency=name, year=YEAR)
    cells = report.format.table_cells
    for spec in cells[: int(len(cells) * share)]:
        report.set_cell(spec.key, 0)
    if figure and share == 1.0:
        report.set_cell(cells[0].key, figure)
        report.set_cell(cells[2].key, figure)
    if share >= 0.9:
        for sid, text in PROSE.items():
            report.sections[sid] = Section(heading=report.sections[sid].heading, text=text)
    return report


def seed_district(engine: Engine, publish_dir: Path) -> District:
    """The 清河区 district (coordinated by 郑协调) and part of 淮阴区 (韩协调), in 2024's cycle."""
    people: dict[str, int] = {}
    with session_scope(engine) as session:
        import_agencies(session=session, rows=parse_agency_csv(AGENCIES_CSV))
        for name, agency, role in PEOPLE:
            grant = add_person_with_role(session=session, name=name, agency_code=agency, role=role)
            assert grant.person.id is not None
            people[name] = grant.person.id
        for name in ("郑协调", "韩协调", "李审核"):
            set_password(session=session, reference=name, password=PASSWORD)
        names = {a.code: a.name for a in session.exec(select(Agency))}
        for code, (stage, share) in PLAN.items():
            _seed_cycle(session, code, names[code], stage, share, people, publish_dir)
    return District(people=people, publish_dir=publish_dir)


def _seed_cycle(
    session: Session,
    code: str,
    name: str,
    stage: str,
    share: float,
    people: dict[str, int],
    publish_dir: Path,
) -> None:
    blank = Report.blank("2021", agency=name, year=YEAR)
    open_draft(
        session=session,
        agency_code=code,
        year=YEAR,
        format_id="2021",
        document=to_document(blank),
        stage="drafting",
    )
    report = _filled(name, share, figure=3)
    officer = next((people[n] for n, a, r in PEOPLE if a == code and r is RoleName.OFFICER), None)
    save_document(
        session=session,
        agency_code=code,
        year=YEAR,
        document=to_document(report),
        channel=Channel.BOT,
        person_id=officer,
    )
    if stage != "drafting":
        findings = check_report(report, pre_publication=True)
        record_findings(session=session, agency_code=code, year=YEAR, revision=1, findings=findings)
        set_stage(session=session, agency_code=code, year=YEAR, stage="validating")
        set_stage(
            session=session, agency_code=code, year=YEAR, stage="acknowledging" if findings else "approving"
        )
    if code in ("qinghe-edu", "qinghe-fin"):
        _approve(session, code, 1, 0, people["李审核" if code == "qinghe-edu" else "钱审核"], "数据已核对")
    if stage == "published":
        _approve(session, code, 1, 1, people["张主任"], None)
        _publish(session, code, 1, report, publish_dir, days_ago=6)
        # A correction (更正) after publication: one figure was wrong, revision 2 replaces it.
        start_correction(
            session=session,
            agency_code=code,
            year=YEAR,
            reason="三、（一）新收申请数有误",
            stage="drafting",
            channel=Channel.BOT,
            person_id=officer,
        )
        corrected = _filled(name, share, figure=4)
        save_document(
            session=session,
            agency_code=code,
            year=YEAR,
            document=to_document(corrected),
            channel=Channel.BOT,
            person_id=officer,
        )
        set_stage(session=session, agency_code=code, year=YEAR, stage="approving")
        _approve(session, code, 2, 0, people["李审核"], "更正内容属实")
        _approve(session, code, 2, 1, people["张主任"], None)
        _publish(session, code, 2, corrected, publish_dir, days_ago=2)
    deadline = GOVERNMENT_DEADLINE if code in ("qinghe", "huaiyin") else DEPARTMENT_DEADLINE
    upsert_status(
        session=session,
        agency_code=code,
        year=YEAR,
        stage=stage,
        percent_complete=int(share * 100),
        deadline=deadline,
        overdue=False,
    )
    if stage != "published" and officer is not None:
        enqueue(
            session=session,
            dedup_key=f"report-{code}-{YEAR}-r1-remind-2025-01-17-before-p{officer}",
            kind="reminder",
            text="提醒",
            person_id=officer,
        )


def _approve(session: Session, code: str, revision: int, step: int, person: int, comment: str | None) -> None:
    record_approval(
        session=session,
        agency_code=code,
        year=YEAR,
        revision=revision,
        step=step,
        person_id=person,
        decision=Decision.APPROVE,
        comment=comment,
        channel=Channel.BOT,
    )


def _publish(
    session: Session, code: str, revision: int, report: Report, publish_dir: Path, days_ago: int
) -> None:
    set_stage(session=session, agency_code=code, year=YEAR, stage="publishing")
    published = from_document(to_document(report))
    stem = f"{code}-{YEAR}-r{revision}"
    files = {
        f"{stem}.docx": render_docx(published),
        f"{stem}.html": render_html(published).encode(),
        f"{stem}.json": render_json(published).encode(),
        f"{stem}.csv": render_csv(published).encode(),
    }
    location = LocalDirectoryTarget(publish_dir).publish(
        agency_code=code, year=YEAR, revision=revision, files=files
    )
    # Real instants as the cycle's clock in tests counts them: TODAY is now, a day lasts a day.
    record_publication(
        session=session,
        agency_code=code,
        year=YEAR,
        revision=revision,
        target="local",
        location=location,
        files=list(files),
        now=datetime.now(UTC) - timedelta(days=days_ago),
    )
    set_stage(session=session, agency_code=code, year=YEAR, stage="published")


def seed_bulk(engine: Engine, *, agencies: int, year: int = YEAR, per_government: int = 100) -> None:
    """``agencies`` agency-years under governments of ``per_government`` each, in every stage."""
    stages = ("drafting", "drafting", "validating", "acknowledging", "approving", "published")
    document = to_document(_filled("批量机关", 0.6))
    agency_rows, status_rows, draft_rows, publication_rows = [], [], [], []
    now = datetime.now(UTC)
    for index in range(agencies):
        government = f"g{index // per_government:04d}"
        if index % per_government == 0:
            agency_rows.append(
                {
                    "code": government,
                    "name": f"第{index // per_government}区人民政府",
                    "kind": "government",
                    "parent_code": None,
                    "active": True,
                }
            )
            continue
        code = f"{government}-d{index % per_government:03d}"
        agency_rows.append(
            {
                "code": code,
                "name": f"第{index // per_government}区第{index % per_government}局",
                "kind": "department",
                "parent_code": government,
                "active": True,
            }
        )
    for index, row in enumerate(agency_rows):
        stage = stages[index % len(stages)]
        status_rows.append(
            {
                "agency_code": row["code"],
                "year": year,
                "stage": stage,
                "percent_complete": (index * 13) % 101,
                "deadline": DEPARTMENT_DEADLINE if row["kind"] == "department" else GOVERNMENT_DEADLINE,
                "overdue": False,
                "updated_at": now - timedelta(hours=index % 500),
            }
        )
        if stage == "published":
            publication_rows.append(
                {
                    "agency_code": row["code"],
                    "year": year,
                    "revision": 1,
                    "target": "local",
                    "location": f"{year}/{row['code']}/r1",
                    "files": [],
                    "at": now - timedelta(days=index % 20),
                }
            )
        draft_rows.append(
            {
                "agency_code": row["code"],
                "year": year,
                "revision": 1,
                "format": "2021",
                "document": document,
                "stage": stage,
                "reason": None,
                "created_at": now,
                "updated_at": now,
                "published_at": None,
            }
        )
    with session_scope(engine) as session:
        connection = session.connection()
        governments = [r for r in agency_rows if r["parent_code"] is None]
        connection.execute(insert(Agency), governments)
        connection.execute(insert(Agency), [r for r in agency_rows if r["parent_code"] is not None])
        connection.execute(insert(CycleStatus), status_rows)
        connection.execute(insert(Draft), draft_rows)
        connection.execute(insert(Publication), publication_rows)
