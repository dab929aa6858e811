"""Invite codes: single-use and expiring; only a hash is stored, the code itself is shown once to its issuer.

Redeeming a code binds the chat account that sent it to a person (the one the invite names, the one the chat
already speaks for, or a new person under the name the chat gives) and grants the invite's role.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.agencies import get_agency
from storage.errors import ConflictError, InviteRefusedError
from storage.kinds import Channel, RoleName
from storage.people import add_person, bind_chat, get_person, grant_role, person_by_chat
from storage.tables import Invite, Person
from storage.utc import utc_now

# No 0/O, 1/I/L: the code is read aloud and typed by hand as often as it is tapped in a link.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """The code in clear (shown once, never stored) and when it stops working."""

    code: str
    agency_code: str
    role: RoleName
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Redemption:
    person: Person
    agency_code: str
    role: RoleName
    role_added: bool


def code_hash(code: str) -> str:
    """The stored form of a code; case and surrounding spaces do not matter to the person typing it."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def create_invite(
    *,
    session: Session,
    agency_code: str,
    role: RoleName,
    ttl: timedelta,
    created_by: int | None = None,
    for_person_id: int | None = None,
    now: datetime | None = None,
) -> IssuedInvite:
    get_agency(session=session, code=agency_code)
    for person_id in (created_by, for_person_id):
        if person_id is not None:
            get_person(session=session, person_id=person_id)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invite = Invite(
        code_hash=code_hash(code),
        agency_code=agency_code,
        role=role.value,
        for_person_id=for_person_id,
        created_by=created_by,
        created_at=now or utc_now(),
        expires_at=(now or utc_now()) + ttl,
    )
    session.add(invite)
    session.flush()
    return IssuedInvite(code=code, agency_code=agency_code, role=role, expires_at=invite.expires_at)


def redeem_invite(
    *,
    session: Session,
    code: str,
    chat_id: int,
    name: str,
    channel: Channel = Channel.BOT,
    now: datetime | None = None,
) -> Redemption:
    """Use a code for the chat ``chat_id``; unknown, used and expired codes are refused with the reason."""
    moment = now or utc_now()
    invite = session.exec(select(Invite).where(Invite.code_hash == code_hash(code))).first()
    if invite is None:
        raise InviteRefusedError("邀请码无效，请核对后重新输入")
    if invite.used_at is not None:
        raise InviteRefusedError("邀请码已被使用，请向协调人索取新的邀请码")
    if invite.expires_at <= moment:
        raise InviteRefusedError("邀请码已过期，请向协调人索取新的邀请码")
    person = _person_for(session, invite, chat_id, name)
    if person.id is None:
        raise ValueError("person has not been stored yet")
    # Only one of two simultaneous redemptions of the same code finds it still unused.
    claimed = session.connection().execute(
        update(Invite)
        .where(col(Invite.id) == invite.id, col(Invite.used_at).is_(None))
        .values(used_at=moment, used_by=person.id)
    )
    if claimed.rowcount != 1:
        raise InviteRefusedError("邀请码已被使用，请向协调人索取新的邀请码")
    session.refresh(invite)
    bind_chat(session=session, person_id=person.id, chat_id=chat_id)
    role = RoleName(invite.role)
    added = grant_role(
        session=session,
        person_id=person.id,
        agency_code=invite.agency_code,
        role=role,
        channel=channel,
        granted_by=invite.created_by,
    )
    return Redemption(person=person, agency_code=invite.agency_code, role=role, role_added=added)


def _person_for(session: Session, invite: Invite, chat_id: int, name: str) -> Person:
    speaking_for = person_by_chat(session=session, chat_id=chat_id)
    if invite.for_person_id is not None:
        if speaking_for is not None and speaking_for.id != invite.for_person_id:
            raise ConflictError("此聊天账号已绑定到其他人员，不能使用为他人签发的邀请码")
        return get_person(session=session, person_id=invite.for_person_id)
    if speaking_for is not None:
        return speaking_for
    return add_person(session=session, name=name)
