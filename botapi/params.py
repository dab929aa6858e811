"""Reading Bot API call parameters the way Telegram does: JSON bodies, urlencoded or multipart forms, query strings.

Form fields all arrive as strings (aiogram JSON-encodes objects and sends numbers as text), so each
parameter is read through an accessor that knows the type the method expects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


class ApiError(Exception):
    """A Bot API failure answered as ``{"ok": false, "error_code": …, "description": …}``."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Params:
    """The parameters of one call, with typed accessors."""

    values: Mapping[str, Any]
    uploads: dict[str, UploadedFile] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def text(self, name: str, default: str | None = None) -> str:
        value = self.values.get(name, default)
        if value is None:
            raise bad_request(f"parameter {name} is required")
        return str(value)

    def optional_text(self, name: str) -> str | None:
        value = self.values.get(name)
        return None if value is None else str(value)

    def integer(self, name: str, default: int | None = None) -> int:
        value = self.values.get(name, default)
        if value is None:
            raise bad_request(f"parameter {name} is required")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"parameter {name} must be an integer") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name, False)
        if isinstance(value, str):
            return value.lower() in {"true", "1"}
        return bool(value)

    def structure(self, name: str) -> Any:
        """An object or array parameter, JSON-encoded in forms."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise bad_request(f"can't parse {name} JSON object") from None


async def read_params(request: web.Request) -> Params:
    """Merge the query string with a JSON or form body, keeping multipart file parts apart."""
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, UploadedFile] = {}
    if request.content_type == "application/json" and request.can_read_body:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            raise bad_request("can't parse JSON body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON body must be an object")
        values.update(body)
    elif request.can_read_body:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                uploads[name] = UploadedFile(
                    filename=value.filename,
                    content_type=value.content_type,
                    data=value.file.read(),
                )
            else:
                values[name] = value
    return Params(values=values, uploads=uploads)
