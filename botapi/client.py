"""A client for the control API: act as a named person in their chat with the bot, and read it back."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Self

import aiohttp

WireObject = dict[str, Any]


class ControlError(Exception):
    """The local server refused a control request; the message is its reason."""


@dataclass(frozen=True)
class ChatView:
    messages: list[WireObject]
    callback_answers: list[WireObject]
    version: int


class ControlClient:
    """``async with ControlClient(url) as control: await control.say("张三", "/start ABC")``."""

    def __init__(self, base_url: str, *, bot_token: str | None = None, max_connections: int = 100) -> None:
        self.base_url = base_url.rstrip("/")
        self.bot_token = bot_token
        self._max_connections = max_connections
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Self:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=120),
            connector=aiohttp.TCPConnector(limit=self._max_connections),
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def _request(self, verb: str, path: str, **kwargs: Any) -> Any:
        if self._session is None:
            raise RuntimeError("use ControlClient inside 'async with'")
        if self.bot_token is not None:
            if "json" in kwargs:
                kwargs["json"] = {"bot": self.bot_token, **kwargs["json"]}
            else:
                kwargs.setdefault("params", {})["bot"] = self.bot_token
        async with self._session.request(verb, self.base_url + path, **kwargs) as response:
            if response.status >= 400:
                raise ControlError(await response.text())
            if response.content_type == "application/json":
                return await response.json()
            return await response.read()

    async def open_chat(self, name: str) -> int:
        """The chat id of ``name``'s private chat with the bot."""
        body = await self._request("POST", "/control/users", json={"name": name})
        return int(body["chat_id"])

    async def say(self, name: str, text: str) -> WireObject:
        result: WireObject = await self._request(
            "POST", "/control/messages", json={"name": name, "text": text}
        )
        return result

    async def upload(
        self, name: str, file_name: str, data: bytes, *, caption: str | None = None
    ) -> WireObject:
        body = {
            "name": name,
            "file_name": file_name,
            "content_base64": base64.b64encode(data).decode(),
            "caption": caption,
        }
        result: WireObject = await self._request("POST", "/control/documents", json=body)
        return result

    async def press(
        self, name: str, message_id: int, *, button: int | None = None, data: str | None = None
    ) -> WireObject:
        """Press inline button number ``button`` (from 1), or send arbitrary callback ``data``."""
        body: WireObject = {"name": name, "message_id": message_id}
        if data is not None:
            body["data"] = data
        else:
            body["button"] = button
        result: WireObject = await self._request("POST", "/control/callbacks", json=body)
        return result

    async def chat(
        self, name: str, *, after: int = 0, wait: float = 0.0, version: int | None = None
    ) -> ChatView:
        """Messages after message id ``after``.

        ``wait``: seconds at most to wait for a new bot message after ``after`` or, with ``version``,
        for any change to the chat since that version.
        """
        params = {"after": str(after), "wait": str(wait)}
        if version is not None:
            params["version"] = str(version)
        body = await self._request("GET", f"/control/chats/{name}", params=params)
        return ChatView(
            messages=body["messages"], callback_answers=body["callback_answers"], version=body["version"]
        )

    async def file(self, file_id: str) -> bytes:
        data: bytes = await self._request("GET", f"/control/files/{file_id}")
        return data

    async def inject(self, kind: str, *, count: int, **options: Any) -> None:
        """``kind`` is ``retry_after``, ``server_error`` or ``delay``; see botapi.faults."""
        await self._request("POST", "/control/faults", json={"kind": kind, "count": count, **options})

    async def enforce_limits(self, *, per_second: int = 30, per_chat_interval: float = 1.0) -> None:
        """Make the server refuse sends over Telegram's flood limits with 429."""
        body = {"per_second": per_second, "per_chat_interval": per_chat_interval}
        await self._request("POST", "/control/limits", json=body)

    async def stats(self) -> WireObject:
        result: WireObject = await self._request("GET", "/control/stats")
        return result
