"""Who is signed in to the console, what they may see, and what they may do.

Coordinators, reviewers and heads may sign in. Each sees the agencies they hold a role at and, for a
government, its departments; only a coordinator of the agency (or of its government) may act on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.kinds import AgencyKind, RoleName
from storage.overview import Scope
from storage.people import get_person, roles_of
from storage.tables import Agency

CONSOLE_ROLES: frozenset[RoleName] = frozenset({RoleName.COORDINATOR, RoleName.REVIEWER, RoleName.HEAD})


@dataclass(frozen=True, slots=True)
class ConsoleUser:
    """``roots``: where they hold a console role; ``governments``: those of them that are governments."""

    person_id: int
    name: str
    roots: frozenset[str]
    coordinated: frozenset[str]
    governments: frozenset[str] = frozenset()

    @property
    def scope(self) -> Scope:
        return Scope(trees=self.governments, single=self.roots - self.governments)

    @property
    def read_only(self) -> bool:
        return not self.coordinated

    def may_act_on(self, agency: Agency) -> bool:
        return agency.code in self.coordinated or (agency.parent_code or "") in self.coordinated

    def may_see(self, agency: Agency) -> bool:
        return self.scope.shows(agency.code, agency.parent_code)


def console_user(*, session: Session, person_id: int) -> ConsoleUser | None:
    """The console user of that number, or None when they hold no role that may sign in."""
    person = get_person(session=session, person_id=person_id)
    roles = [
        (code, role) for code, role in roles_of(session=session, person_id=person_id) if role in CONSOLE_ROLES
    ]
    if not roles:
        return None
    roots = frozenset(code for code, _ in roles)
    governments = session.exec(
        select(Agency.code).where(col(Agency.code).in_(roots), Agency.kind == AgencyKind.GOVERNMENT.value)
    ).all()
    return ConsoleUser(
        person_id=person_id,
        name=person.name,
        roots=roots,
        coordinated=frozenset(code for code, role in roles if role is RoleName.COORDINATOR),
        governments=frozenset(governments),
    )
