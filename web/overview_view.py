"""The data of the year overview and of the "not filed yet" page, read in one transaction."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from storage.engine import session_scope
from storage.overview import (
    PUBLISHED,
    SORT_KEYS,
    STAGE_ORDER,
    Headline,
    OverviewFilter,
    OverviewRow,
    overview_page,
    parents_in,
    year_summary,
)
from storage.overview_details import RowDetails, details_for, people_to_chase
from storage.tables import CycleStatus
from web.chart import completion_svg
from web.clock import CycleDay
from web.users import ConsoleUser

PAGE_SIZES = (25, 50, 100, 200)


@dataclass(frozen=True)
class Query:
    """The overview's query string, checked: unknown values fall back to the defaults."""

    year: int
    parent: str = ""
    stage: str = ""
    overdue: str = ""
    kind: str = ""
    q: str = ""
    sort: str = "agency"
    desc: bool = False
    page: int = 1
    size: int = 50

    @classmethod
    def parse(cls, params: dict[str, str], default_year: int) -> Query:
        def number(name: str, default: int) -> int:
            text = params.get(name, "")
            return int(text) if text.isdigit() and len(text) < 7 else default

        size = number("size", 50)
        return cls(
            year=number("year", default_year),
            parent=params.get("parent", "")[:64],
            stage=params.get("stage", "") if params.get("stage", "") in STAGE_ORDER else "",
            overdue=params.get("overdue", "") if params.get("overdue", "") in ("yes", "no") else "",
            kind=params.get("kind", "") if params.get("kind", "") in ("department", "government") else "",
            q=params.get("q", "")[:100],
            sort=params.get("sort", "") if params.get("sort", "") in SORT_KEYS else "agency",
            desc=params.get("desc", "") == "1",
            page=max(number("page", 1), 1),
            size=size if size in PAGE_SIZES else 50,
        )

    def where(self, today: date) -> OverviewFilter:
        return OverviewFilter(
            year=self.year,
            today=today,
            parent=self.parent or None,
            stage=self.stage or None,
            overdue={"yes": True, "no": False}.get(self.overdue),
            kind=self.kind or None,
            text=self.q or None,
        )

    def link(self, **changes: object) -> str:
        values = {**self.__dict__, **changes}
        values["desc"] = "1" if values["desc"] else ""
        pairs = [(k, str(v)) for k, v in values.items() if v not in ("", None, False)]
        return "?" + urlencode(pairs)


@dataclass(frozen=True)
class Overview:
    query: Query
    day: CycleDay
    rows: list[OverviewRow]
    details: dict[str, RowDetails]
    total: int
    headline: Headline
    funnel: dict[str, int]
    parents: list[tuple[str, str]]
    chart: str
    years: list[int] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max((self.total + self.query.size - 1) // self.query.size, 1)

    def days_left(self, row: OverviewRow) -> int | None:
        deadline = row.effective_deadline
        return None if deadline is None else (deadline - self.day.today).days


def report_years(*, session: Session) -> list[int]:
    return sorted(session.exec(select(CycleStatus.year).distinct()).all(), reverse=True)


def default_year(engine: Engine, today: date) -> int:
    with session_scope(engine) as session:
        latest = session.exec(select(func.max(CycleStatus.year))).one()
    return int(latest) if latest is not None else today.year - 1


def load_overview(engine: Engine, user: ConsoleUser, query: Query, day: CycleDay) -> Overview:
    where = query.where(day.today)
    with session_scope(engine) as session:
        rows, _ = overview_page(
            session=session,
            scope=user.scope,
            where=where,
            sort=query.sort,
            descending=query.desc,
            offset=(query.page - 1) * query.size,
            limit=query.size,
            count=False,
        )
        details = details_for(session=session, year=query.year, codes=[row.code for row in rows])
        summary = year_summary(session=session, scope=user.scope, where=where)
        counts = summary.headline(today=day.today, cutoff=day.cutoff)
        # The funnel shows every stage even when the table is filtered to one.
        unstaged = (
            summary
            if not where.stage
            else year_summary(session=session, scope=user.scope, where=dataclasses.replace(where, stage=None))
        )
        chart = completion_svg(
            published_days=[day.day_of(stamp) for stamp in summary.publication_times()],
            total=counts.agencies,
            deadlines=summary.deadlines(),
            today=day.today,
        )
        return Overview(
            query=query,
            day=day,
            rows=rows,
            details=details,
            total=counts.agencies,
            headline=counts,
            funnel=unstaged.stage_counts(),
            parents=parents_in(session=session, scope=user.scope),
            chart=chart,
            years=report_years(session=session),
        )


@dataclass(frozen=True)
class Unfiled:
    """One government's agencies that have not published, with the people to chase."""

    code: str
    name: str
    rows: list[tuple[OverviewRow, list[str]]]
    may_remind: bool


def load_unfiled(engine: Engine, user: ConsoleUser, year: int, day: CycleDay) -> list[Unfiled]:
    groups: list[Unfiled] = []
    with session_scope(engine) as session:
        for code, name in parents_in(session=session, scope=user.scope):
            where = OverviewFilter(year=year, today=day.today, parent=code)
            rows, _ = overview_page(session=session, scope=user.scope, where=where, limit=100_000)
            pending = [row for row in rows if row.stage != PUBLISHED]
            if not pending:
                continue
            people = people_to_chase(
                session=session, year=year, stages={row.code: row.stage for row in pending}
            )
            chase = [(row, people[row.code]) for row in pending]
            groups.append(Unfiled(code, name, chase, code in user.coordinated))
    return groups
