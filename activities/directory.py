"""Who belongs to an agency's cycle, and which agencies a kickoff starts."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import col, select
from temporalio import activity

from activities.boundary import domain_errors_are_final
from contracts import AgencyBatchRequest, AgencyRoster, Role, RosterMember
from storage.agencies import departments_of, get_agency
from storage.engine import read_scope
from storage.kinds import AgencyKind
from storage.people import ancestors_of, list_people
from storage.tables import Agency


class DirectoryActivities:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @activity.defn(name="load_roster")
    def load_roster(self, agency_code: str) -> AgencyRoster:
        """The agency, everyone with a role there, and (for a government) its active departments."""
        with domain_errors_are_final(), read_scope(self._engine) as session:
            agency = get_agency(session=session, code=agency_code)
            roles: dict[int, tuple[str, list[Role]]] = {}
            for entry in list_people(session=session, agency_code=agency_code):
                held = [Role(role.value) for code, role in entry.roles if code == agency_code]
                roles[entry.person_id] = (entry.name, held)
            # A government's coordinators coordinate its departments too, without being listed per agency.
            for code in ancestors_of(session=session, agency=agency):
                for entry in list_people(session=session, agency_code=code):
                    if any(c == code and r.value == Role.COORDINATOR.value for c, r in entry.roles):
                        _name, held = roles.setdefault(entry.person_id, (entry.name, []))
                        if Role.COORDINATOR not in held:
                            held.append(Role.COORDINATOR)
            members = tuple(
                RosterMember(person_id=person_id, name=name, roles=tuple(held))
                for person_id, (name, held) in roles.items()
            )
            departments: tuple[str, ...] = ()
            if agency.kind == AgencyKind.GOVERNMENT:
                departments = tuple(
                    a.code for a in departments_of(session=session, government_code=agency_code)
                )
            return AgencyRoster(
                code=agency.code,
                name=agency.name,
                kind=agency.kind,
                parent_code=agency.parent_code,
                members=members,
                department_codes=departments,
            )

    @activity.defn(name="agency_batch")
    def agency_batch(self, request: AgencyBatchRequest) -> tuple[str, ...]:
        """The next active agency codes after ``after_code``, in code order (kickoff batches)."""
        with domain_errors_are_final(), read_scope(self._engine) as session:
            query = select(Agency.code).where(
                col(Agency.active).is_(True), col(Agency.code) > request.after_code
            )
            if request.agency_codes is not None:
                wanted = list(request.agency_codes)
                for code in wanted:
                    get_agency(session=session, code=code)
                query = query.where(col(Agency.code).in_(wanted))
            return tuple(session.exec(query.order_by(col(Agency.code)).limit(request.limit)))
