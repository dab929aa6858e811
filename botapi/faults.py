"""Injected failures: the next N calls answered with 429 (retry_after), a 5xx, or after a delay.

A fault without an explicit method list hits every method that sends or changes something, never
the plumbing (getUpdates, getMe, webhook set-up), so a storm slows deliveries down without knocking
the bot's polling loop over.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

from botapi.params import ApiError

FaultKind = Literal["retry_after", "server_error", "delay"]
PLUMBING = frozenset(
    {"getUpdates", "getMe", "setWebhook", "deleteWebhook", "getWebhookInfo", "close", "logOut"}
)


@dataclass
class Fault:
    kind: FaultKind
    remaining: int
    retry_after: int = 1
    status: int = 502
    seconds: float = 0.0
    methods: frozenset[str] | None = None

    def matches(self, method: str) -> bool:
        if self.remaining <= 0:
            return False
        if self.methods is None:
            return method not in PLUMBING
        return method in self.methods

    @classmethod
    def from_request(cls, body: dict[str, Any]) -> Fault:
        kind = body.get("kind")
        if kind not in ("retry_after", "server_error", "delay"):
            raise ValueError("kind 必须是 retry_after、server_error 或 delay")
        methods = body.get("methods")
        status = int(body.get("status", 502))
        if kind == "server_error" and not 500 <= status <= 599:
            raise ValueError("status 必须是 5xx 状态码")
        return cls(
            kind=kind,
            remaining=int(body.get("count", 1)),
            retry_after=int(body.get("retry_after", 1)),
            status=status,
            seconds=float(body.get("seconds", 0.0)),
            methods=None if methods is None else frozenset(methods),
        )


@dataclass
class FaultPlan:
    faults: list[Fault] = field(default_factory=list)
    served: dict[str, int] = field(default_factory=lambda: {"retry_after": 0, "server_error": 0, "delay": 0})

    def add(self, fault: Fault) -> None:
        self.faults.append(fault)

    def clear(self) -> None:
        self.faults.clear()

    async def apply(self, method: str) -> None:
        """Delay or fail this call if a pending fault says so."""
        for fault in self.faults:
            if not fault.matches(method):
                continue
            fault.remaining -= 1
            self.served[fault.kind] += 1
            if fault.kind == "delay":
                await asyncio.sleep(fault.seconds)
                continue
            if fault.kind == "retry_after":
                raise ApiError(
                    429, f"Too Many Requests: retry after {fault.retry_after}", retry_after=fault.retry_after
                )
            raise ApiError(fault.status, "Internal Server Error" if fault.status == 500 else "Bad Gateway")
        self.faults = [fault for fault in self.faults if fault.remaining > 0]
