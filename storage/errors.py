"""Errors raised by the repository functions.

Every message is a Chinese sentence for the officer or coordinator; nothing was changed when one is raised
(the caller's ``session_scope`` rolls the transaction back)::

    NianbaoError (domain.errors)
    └── StorageError             base of every refusal by the repository functions
        ├── NotFoundError        an agency, person, draft or message that does not exist
        ├── InvalidEntryError    a value that is not acceptable (bad role, bad CSV line, empty reason)
        │   └── InvalidRowsError every bad line of a CSV file at once
        ├── InviteRefusedError   an invite code that is unknown, already used or expired
        └── ConflictError        the change contradicts what is stored (a published revision, a chat
                                 already bound to someone else, an ambiguous name)
"""

from __future__ import annotations

from domain.errors import NianbaoError


class StorageError(NianbaoError):
    """Base class: ``str(error)`` is a complete Chinese sentence."""


class NotFoundError(StorageError):
    """The thing asked for does not exist."""


class InvalidEntryError(StorageError):
    """A value given to the repository is not acceptable; ``line`` is the CSV line when there is one."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"第 {line} 行：{message}" if line is not None else message)


class InvalidRowsError(InvalidEntryError):
    """Several lines of a file are bad: all of them are named, so one round of fixes is enough."""

    def __init__(self, errors: list[InvalidEntryError]) -> None:
        self.errors = errors
        listed = "\n".join(str(error) for error in errors)
        StorageError.__init__(self, f"文件中有 {len(errors)} 处错误，未导入任何内容：\n{listed}")
        self.line = errors[0].line if errors else None


class InviteRefusedError(StorageError):
    """An invite code cannot be redeemed; the message says why."""


class ConflictError(StorageError):
    """The change contradicts what is already stored."""
