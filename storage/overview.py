"""The coordinators' year overview, read straight from the database: one row per agency, filtered,
sorted and paged in SQL so that a city of 20,000 agency-years pages as fast as a district of 30.

Who may see what is a ``Scope``: the agencies a person holds a role at, and the departments of those that
are governments. The cycle's own calendar may run faster than real days (demo, tests), so every comparison
with "today" takes the cycle's date from the caller, and on-time publication is judged against real
cut-off instants the caller computes for each deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.tables import Agency, CycleStatus, DeadlineExtension, Publication

PUBLISHED = "published"
NOT_STARTED = "not_started"
STAGE_ORDER: tuple[str, ...] = (
    NOT_STARTED,
    "drafting",
    "validating",
    "acknowledging",
    "approving",
    "publishing",
    PUBLISHED,
)
SORT_KEYS: tuple[str, ...] = ("agency", "parent", "kind", "stage", "percent", "deadline", "published")


@dataclass(frozen=True, slots=True)
class Scope:
    """The agencies someone may see: the governments of ``trees`` with their departments, the agencies of
    ``single`` alone, or ``everything``."""

    trees: frozenset[str] = frozenset()
    single: frozenset[str] = frozenset()
    everything: bool = False

    def condition(self) -> ColumnElement[bool]:
        if self.everything:
            return true()
        # A government has no parent: "its own code or its parent's" names the tree an agency belongs to,
        # one IN over an expression instead of an OR of two (which costs SQLite an index probe per root).
        parts = (
            [func.coalesce(col(Agency.parent_code), col(Agency.code)).in_(self.trees)] if self.trees else []
        )
        if self.single:
            parts.append(col(Agency.code).in_(self.single))
        return or_(false(), *parts)

    def shows(self, code: str, parent_code: str | None) -> bool:
        return self.everything or (parent_code or code) in self.trees or code in self.single


@dataclass(frozen=True, slots=True)
class OverviewFilter:
    year: int
    today: date
    parent: str | None = None
    stage: str | None = None
    overdue: bool | None = None
    kind: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class OverviewRow:
    code: str
    name: str
    kind: str
    parent_code: str | None
    parent_name: str | None
    stage: str
    percent_complete: int
    deadline: date | None
    extended_deadline: date | None
    status_updated_at: datetime | None
    published_at: datetime | None

    @property
    def effective_deadline(self) -> date | None:
        return self.extended_deadline or self.deadline


@dataclass(frozen=True, slots=True)
class Headline:
    agencies: int
    published: int
    on_time: int
    overdue: int
    not_started: int


def _latest_extension(year: int) -> Any:
    newest = (
        select(func.max(DeadlineExtension.id).label("id"))
        .where(DeadlineExtension.year == year)
        .group_by(col(DeadlineExtension.agency_code))
        .subquery()
    )
    return (
        select(col(DeadlineExtension.agency_code), col(DeadlineExtension.deadline))
        .where(col(DeadlineExtension.id).in_(select(newest.c.id)))
        .subquery()
    )


def _first_publication(year: int) -> Any:
    return (
        select(Publication.agency_code, func.min(Publication.at).label("at"))
        .where(Publication.year == year)
        .group_by(col(Publication.agency_code))
        .subquery()
    )


def _base(
    scope: Scope, year: int, *, published: bool, only_published: bool = False
) -> tuple[Any, dict[str, Any]]:
    """The overview's FROM clause and named columns, for one year within one scope.

    The first-publication join is the costliest: only queries that read ``published_at`` ask for it.
    """
    extension, first = _latest_extension(year), _first_publication(year)
    stage = func.coalesce(col(CycleStatus.stage), literal(NOT_STARTED))
    deadline = func.coalesce(extension.c.deadline, col(CycleStatus.deadline))
    columns: dict[str, Any] = {
        "code": col(Agency.code),
        "name": col(Agency.name),
        "kind": col(Agency.kind),
        "parent_code": col(Agency.parent_code),
        "stage": stage,
        "percent": func.coalesce(col(CycleStatus.percent_complete), 0),
        "deadline": col(CycleStatus.deadline),
        "extended": extension.c.deadline,
        "effective_deadline": deadline,
        "updated_at": col(CycleStatus.updated_at),
    }
    if published:
        columns["published_at"] = first.c.at
    query = (
        select(*(column.label(name) for name, column in columns.items()))
        .select_from(Agency)
        .outerjoin(
            CycleStatus, and_(col(CycleStatus.agency_code) == col(Agency.code), col(CycleStatus.year) == year)
        )
        .outerjoin(extension, extension.c.agency_code == Agency.code)
        .where(col(Agency.active).is_(True), scope.condition())
    )
    if only_published:
        # From the (fewer) publications to their agencies, not the other way round.
        query = query.join(first, first.c.agency_code == Agency.code)
    elif published:
        query = query.outerjoin(first, first.c.agency_code == Agency.code)
    return query, columns


def _filtered(
    scope: Scope, where: OverviewFilter, *, published: bool = True, only_published: bool = False
) -> tuple[Any, dict[str, Any]]:
    query, c = _base(scope, where.year, published=published, only_published=only_published)
    if where.parent:
        query = query.where(or_(c["parent_code"] == where.parent, c["code"] == where.parent))
    if where.stage:
        query = query.where(c["stage"] == where.stage)
    if where.kind:
        query = query.where(c["kind"] == where.kind)
    if where.text:
        text = where.text.strip()
        query = query.where(
            or_(c["name"].contains(text, autoescape=True), c["code"].contains(text, autoescape=True))
        )
    if where.overdue is not None:
        late = _overdue(c, where.today)
        query = query.where(late if where.overdue else ~late)
    return query, c


def _overdue(c: Mapping[str, Any], today: date) -> ColumnElement[bool]:
    return and_(
        c["stage"] != PUBLISHED, c["effective_deadline"].is_not(None), c["effective_deadline"] < today
    )


def overview_page(
    *,
    session: Session,
    scope: Scope,
    where: OverviewFilter,
    sort: str = "agency",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
    count: bool = True,
) -> tuple[list[OverviewRow], int]:
    """One page of rows and the number of rows all pages hold (-1 unless ``count``)."""
    query, c = _filtered(scope, where)
    total = session.exec(select(func.count()).select_from(query.subquery())).one() if count else -1
    order = _sort_column(c, sort if sort in SORT_KEYS else "agency")
    ordered = order.desc() if descending else order.asc()
    page = query.order_by(ordered.nulls_last(), c["code"]).offset(max(offset, 0)).limit(limit)
    found = list(session.exec(page))
    parent_codes = {r.parent_code for r in found if r.parent_code}
    parents = dict(
        session.exec(select(Agency.code, Agency.name).where(col(Agency.code).in_(parent_codes))).all()
        if parent_codes
        else []
    )
    rows = [
        OverviewRow(
            code=r.code,
            name=r.name,
            kind=r.kind,
            parent_code=r.parent_code,
            parent_name=parents.get(r.parent_code) if r.parent_code else None,
            stage=r.stage,
            percent_complete=r.percent,
            deadline=r.deadline,
            extended_deadline=r.extended,
            status_updated_at=_aware(r.updated_at),
            published_at=_aware(r.published_at),
        )
        for r in found
    ]
    return rows, total


def _sort_column(c: Mapping[str, Any], sort: str) -> Any:
    if sort == "stage":
        return case({stage: index for index, stage in enumerate(STAGE_ORDER)}, value=c["stage"])
    columns = {
        "agency": c["code"],
        "parent": c["parent_code"],
        "kind": c["kind"],
        "percent": c["percent"],
        "deadline": c["effective_deadline"],
        "published": c["published_at"],
    }
    return columns[sort]


def all_rows(
    *, session: Session, scope: Scope, where: OverviewFilter, sort: str = "agency"
) -> list[OverviewRow]:
    """Every row the filters keep (exports), in the chosen order."""
    rows, _total = overview_page(session=session, scope=scope, where=where, sort=sort, limit=10_000_000)
    return rows


@dataclass(frozen=True, slots=True)
class YearSummary:
    """The aggregates of every row the filters keep, from two passes over them.

    ``groups``: (stage, effective deadline, not started yet?) → rows; ``published``: (stage, effective
    deadline, first publication) of every row published at least once.
    """

    groups: dict[tuple[str, date | None, bool], int]
    published: list[tuple[str, date | None, datetime]]

    def headline(self, *, today: date, cutoff: Callable[[date], datetime]) -> Headline:
        """The counts; ``cutoff`` gives the real instant a deadline's day ends (publishing before is on time)."""
        items = self.groups.items()
        return Headline(
            agencies=sum(self.groups.values()),
            published=sum(n for (stage, _, _), n in items if stage == PUBLISHED),
            on_time=sum(
                1
                for stage, deadline, at in self.published
                if stage == PUBLISHED and deadline is not None and at < cutoff(deadline)
            ),
            overdue=sum(
                n for (stage, deadline, _), n in items if stage != PUBLISHED and deadline and deadline < today
            ),
            not_started=sum(n for (_, _, idle), n in items if idle),
        )

    def stage_counts(self) -> dict[str, int]:
        """How many rows stand in each stage (the funnel), every stage named, in cycle order."""
        counts = dict.fromkeys(STAGE_ORDER, 0)
        for (stage, _, _), n in self.groups.items():
            counts[stage] = counts.get(stage, 0) + n
        return counts

    def deadlines(self) -> list[date]:
        """The distinct deadlines (extensions included)."""
        return sorted({deadline for (_, deadline, _) in self.groups if deadline is not None})

    def publication_times(self) -> list[datetime]:
        """When each row first went out, oldest first (the completion chart)."""
        return sorted(at for _, _, at in self.published)


def year_summary(*, session: Session, scope: Scope, where: OverviewFilter) -> YearSummary:
    rows = _filtered(scope, where, published=False)[0].subquery()
    idle = case(
        (or_(rows.c.stage == NOT_STARTED, and_(rows.c.stage == "drafting", rows.c.percent == 0)), True),
        else_=False,
    ).label("idle")
    grouped = sa_select(rows.c.stage, rows.c.effective_deadline, idle, func.count()).group_by(
        rows.c.stage, rows.c.effective_deadline, idle
    )
    groups = {(stage, deadline, bool(flag)): int(n) for stage, deadline, flag, n in session.execute(grouped)}
    with_firsts = _filtered(scope, where, only_published=True)[0].subquery()
    firsts = sa_select(
        with_firsts.c.stage, with_firsts.c.effective_deadline, with_firsts.c.published_at
    ).where(with_firsts.c.published_at.is_not(None))
    published = [
        (stage, deadline, stamp)
        for stage, deadline, at in session.execute(firsts)
        if (stamp := _aware(at)) is not None
    ]
    return YearSummary(groups=groups, published=published)


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parents_in(*, session: Session, scope: Scope) -> list[tuple[str, str]]:
    """The governments (code, name) whose agencies the scope shows, for the parent filter."""
    query = (
        select(Agency.code, Agency.name)
        .where(Agency.kind == "government", col(Agency.active).is_(True), scope.condition())
        .order_by(col(Agency.code))
    )
    return [(code, name) for code, name in session.exec(query)]
