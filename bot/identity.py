"""Who is writing: the person a chat speaks for, and their roles; and the directory that knows it.

The bot never reads the database itself: a ``Directory`` is injected by the process that composes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from contracts import Actor, Channel, Role


class RegistrationRefusedError(Exception):
    """An invite code that cannot be used; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class Identity:
    person_id: int
    name: str
    roles: tuple[tuple[str, Role], ...]

    @property
    def actor(self) -> Actor:
        return Actor(person_id=self.person_id, name=self.name, channel=Channel.BOT)

    def agencies(self, *roles: Role) -> tuple[str, ...]:
        """Agency codes where the person holds one of ``roles``, in the directory's order."""
        return tuple(dict.fromkeys(code for code, role in self.roles if role in roles))

    def has(self, role: Role) -> bool:
        return any(held == role for _, held in self.roles)


@dataclass(frozen=True)
class IssuedCode:
    """A fresh invite code, shown once to the coordinator who asked for it."""

    code: str
    agency_code: str
    role: Role
    expires_at: str


class Directory(Protocol):
    async def identify(self, chat_id: int) -> Identity | None:
        """The person bound to ``chat_id``, or None for a stranger."""
        ...

    async def redeem(self, *, code: str, chat_id: int, name: str) -> Identity:
        """Bind ``chat_id`` through an invite code; raises ``RegistrationRefusedError``."""
        ...

    async def issue_invite(self, *, agency_code: str, role: Role, issued_by: int) -> IssuedCode:
        """A single-use, expiring code for ``role`` at ``agency_code``; raises ``RegistrationRefusedError``."""
        ...
