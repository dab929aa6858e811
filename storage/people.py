"""People, their roles per agency, their chat accounts, and the approval chain an agency's roles make."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.agencies import get_agency
from storage.audit import record_change
from storage.errors import ConflictError, InvalidEntryError, NotFoundError
from storage.kinds import Channel, RoleName
from storage.tables import Agency, ChatBinding, Person, Role

MAX_NAME_LENGTH = 100
# A person's code: a staff number, a mobile number, or P<number> given by the system.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_.+-]{1,40}")


@dataclass(frozen=True, slots=True)
class RoleGrant:
    """The outcome of ``add_person_with_role``: who, and whether anything new was stored."""

    person: Person
    person_created: bool
    role_added: bool


@dataclass(frozen=True, slots=True)
class PersonEntry:
    """A person with every role and chat account, for listings."""

    person_id: int
    name: str
    roles: tuple[tuple[str, RoleName], ...]
    chat_ids: tuple[int, ...]
    code: str = ""


@dataclass(frozen=True, slots=True)
class ApprovalStep:
    """One step of an agency's approval chain (1-based), held by one person."""

    step: int
    role: RoleName
    person_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Recipient:
    person_id: int
    name: str
    chat_ids: tuple[int, ...]


def add_person(*, session: Session, name: str, code: str | None = None) -> Person:
    """A new person; without a ``code`` (staff or mobile number) they get ``P<number>``."""
    checked = _checked_code(code) if code is not None else None
    if checked is not None and person_by_code(session=session, code=checked) is not None:
        raise ConflictError(f"人员代码「{checked}」已被使用")
    person = Person(name=_checked_name(name), code=checked)
    session.add(person)
    session.flush()
    if person.code is None:
        person.code = f"P{person.id}"
        session.add(person)
        session.flush()
    return person


def _checked_code(code: str) -> str:
    cleaned = code.strip()
    if not CODE_PATTERN.fullmatch(cleaned):
        raise InvalidEntryError(
            f"人员代码「{code}」无效：须为 1–40 位字母、数字、点、横线或下划线（如工号、手机号）"
        )
    return cleaned


def person_by_code(*, session: Session, code: str) -> Person | None:
    return session.exec(select(Person).where(Person.code == code.strip())).first()


def _checked_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidEntryError("姓名不能为空")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidEntryError(f"姓名过长（最多 {MAX_NAME_LENGTH} 字）")
    return cleaned


def get_person(*, session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(f"没有编号为 {person_id} 的人员")
    return person


def find_person(*, session: Session, reference: str) -> Person:
    """The one person named by ``reference``: their code, their number (all digits), or their name."""
    text = reference.strip()
    by_code = person_by_code(session=session, code=text) if text else None
    if by_code is not None:
        return by_code
    if text.isdigit():
        return get_person(session=session, person_id=int(text))
    matches = people_named(session=session, name=text)
    if not matches:
        raise NotFoundError(f"没有名为「{text}」的人员")
    if len(matches) > 1:
        codes = "、".join(f"{person.code}" for person in matches)
        raise ConflictError(f"有 {len(matches)} 人名为「{text}」（代码 {codes}），请改用代码")
    return matches[0]


def people_named(*, session: Session, name: str) -> list[Person]:
    query = select(Person).where(Person.name == " ".join(name.split())).order_by(col(Person.id))
    return list(session.exec(query))


def grant_role(
    *,
    session: Session,
    person_id: int,
    agency_code: str,
    role: RoleName,
    channel: Channel = Channel.SYSTEM,
    granted_by: int | None = None,
) -> bool:
    """Give a person a role at an agency (audited); False when they already held it."""
    get_agency(session=session, code=agency_code)
    person = get_person(session=session, person_id=person_id)
    existing = session.exec(
        select(Role).where(
            Role.person_id == person_id, Role.agency_code == agency_code, Role.role == role.value
        )
    ).first()
    if existing is not None:
        return False
    session.add(Role(person_id=person_id, agency_code=agency_code, role=role.value))
    record_change(
        session=session,
        agency_code=agency_code,
        target=f"role:{role.value}",
        old_value=None,
        new_value=f"{person.name}（编号 {person_id}）",
        channel=channel,
        person_id=granted_by,
    )
    return True


def add_person_with_role(
    *,
    session: Session,
    name: str,
    agency_code: str,
    role: RoleName,
    chat_id: int | None = None,
    channel: Channel = Channel.SYSTEM,
    code: str | None = None,
) -> RoleGrant:
    """Add a role to a person: the one with ``code`` (created with that code when new), or, without a
    code, the one of that name already working in the agency's district, or a new person when nobody
    has the name yet. A name held only elsewhere (another district, or several people) needs the code:
    names are not who people are."""
    agency = get_agency(session=session, code=agency_code)
    checked = _checked_name(name)
    person: Person | None
    if code is not None:
        person = person_by_code(session=session, code=_checked_code(code))
        if person is not None and person.name != checked:
            raise ConflictError(f"人员代码「{person.code}」属于「{person.name}」，不是「{checked}」")
    else:
        person = _namesake_in_district(session, checked, agency)
    created = person is None
    if person is None:
        person = add_person(session=session, name=checked, code=code)
    added = grant_role(
        session=session, person_id=_id(person), agency_code=agency_code, role=role, channel=channel
    )
    if chat_id is not None:
        bind_chat(session=session, person_id=_id(person), chat_id=chat_id)
    return RoleGrant(person=person, person_created=created, role_added=added)


def ancestors_of(*, session: Session, agency: Agency) -> list[str]:
    """The codes of the agencies above ``agency`` in the ``parent`` tree, nearest first."""
    codes: list[str] = []
    while agency.parent_code is not None and agency.parent_code not in codes:
        parent = session.get(Agency, agency.parent_code)
        if parent is None:
            break
        codes.append(parent.code)
        agency = parent
    return codes


def district_of(*, session: Session, agency: Agency) -> str:
    """The government at the top of an agency's ``parent`` tree (the agency itself for a government)."""
    above = ancestors_of(session=session, agency=agency)
    return above[-1] if above else agency.code


def _namesake_in_district(session: Session, name: str, agency: Agency) -> Person | None:
    matches = people_named(session=session, name=name)
    if not matches:
        return None
    district = district_of(session=session, agency=agency)
    local = [
        person
        for person in matches
        if any(
            district_of(session=session, agency=get_agency(session=session, code=code)) == district
            for code, _role in roles_of(session=session, person_id=_id(person))
        )
    ]
    if len(local) == 1:
        return local[0]
    codes = "、".join(f"{person.code}" for person in matches)
    raise ConflictError(
        f"已有 {len(matches)} 人名为「{name}」（代码 {codes}），"
        f"{'均不在' if not local else '不止一人在'}「{agency.name}」所在地区；"
        "同名不一定是同一人，请用 --code 指明（已有人员的代码，或新人员的工号、手机号）"
    )


def bind_chat(*, session: Session, person_id: int, chat_id: int) -> ChatBinding:
    """Let ``chat_id`` speak for the person; a chat already speaking for someone else is refused."""
    get_person(session=session, person_id=person_id)
    binding = session.exec(select(ChatBinding).where(ChatBinding.chat_id == chat_id)).first()
    if binding is not None:
        if binding.person_id != person_id:
            raise ConflictError(f"聊天账号 {chat_id} 已绑定到其他人员")
        return binding
    binding = ChatBinding(person_id=person_id, chat_id=chat_id)
    session.add(binding)
    session.flush()
    return binding


def person_by_chat(*, session: Session, chat_id: int) -> Person | None:
    query = select(Person).join(ChatBinding).where(ChatBinding.chat_id == chat_id)
    return session.exec(query).first()


def roles_of(*, session: Session, person_id: int) -> list[tuple[str, RoleName]]:
    """Every (agency code, role) a person holds."""
    query = select(Role).where(Role.person_id == person_id).order_by(col(Role.agency_code), col(Role.id))
    return [(role.agency_code, RoleName(role.role)) for role in session.exec(query)]


def has_role(*, session: Session, person_id: int, agency_code: str, role: RoleName) -> bool:
    query = select(Role.id).where(
        Role.person_id == person_id, Role.agency_code == agency_code, Role.role == role.value
    )
    return session.exec(query).first() is not None


def holders(*, session: Session, agency_code: str, roles: Iterable[RoleName]) -> list[Recipient]:
    """The people holding any of ``roles`` at the agency, each once, with their chat accounts."""
    wanted = [role.value for role in roles]
    query = (
        select(Person)
        .join(Role)
        .where(Role.agency_code == agency_code, col(Role.role).in_(wanted))
        .order_by(col(Person.id))
        .distinct()
    )
    return [
        Recipient(
            person_id=_id(person),
            name=person.name,
            chat_ids=chat_ids_of(session=session, person_id=_id(person)),
        )
        for person in session.exec(query)
    ]


def approval_chain(*, session: Session, agency_code: str) -> list[ApprovalStep]:
    """The agency's reviewers (分管领导审核) in the order they were appointed, then its head (主要领导确认)."""
    get_agency(session=session, code=agency_code)
    steps: list[ApprovalStep] = []
    for role in (RoleName.REVIEWER, RoleName.HEAD):
        query = (
            select(Person)
            .join(Role)
            .where(Role.agency_code == agency_code, Role.role == role.value)
            .order_by(col(Role.id))
        )
        for person in session.exec(query):
            steps.append(
                ApprovalStep(step=len(steps) + 1, role=role, person_id=_id(person), name=person.name)
            )
    return steps


def list_people(*, session: Session, agency_code: str | None = None) -> list[PersonEntry]:
    """Every person (or those with a role at one agency), with roles and chat accounts, by number."""
    query = select(Person).order_by(col(Person.id))
    if agency_code is not None:
        get_agency(session=session, code=agency_code)
        query = query.where(col(Person.id).in_(select(Role.person_id).where(Role.agency_code == agency_code)))
    return [
        PersonEntry(
            person_id=_id(person),
            name=person.name,
            roles=tuple(roles_of(session=session, person_id=_id(person))),
            chat_ids=chat_ids_of(session=session, person_id=_id(person)),
            code=person.code or "",
        )
        for person in session.exec(query)
    ]


def chat_ids_of(*, session: Session, person_id: int) -> tuple[int, ...]:
    """The person's chat accounts, in the order they were bound."""
    query = (
        select(ChatBinding.chat_id).where(ChatBinding.person_id == person_id).order_by(col(ChatBinding.id))
    )
    return tuple(session.exec(query))


def _id(person: Person) -> int:
    if person.id is None:
        raise ValueError("person has not been stored yet")
    return person.id


def unassigned_agencies(*, session: Session, codes: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Active agencies (of ``codes``, or all) with nobody to fill their report in: no officer."""
    query = select(Agency.code, Agency.name).where(
        col(Agency.active).is_(True),
        col(Agency.code).not_in(select(Role.agency_code).where(Role.role == RoleName.OFFICER.value)),
    )
    if codes is not None:
        query = query.where(col(Agency.code).in_(list(codes)))
    return [(code, name) for code, name in session.exec(query.order_by(col(Agency.code)))]
