"""Access-log lines without the bot token: Bot API paths carry it (``/bot<token>/sendMessage``).

A token in a log file is a stolen bot for anyone who reads the logs, so each formatted field of the
access log has the token segment replaced by ``<token>`` before the line is written.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp.abc import BaseRequest, StreamResponse
from aiohttp.web_log import AccessLogger

_TOKEN_IN_PATH = re.compile(r"(/(?:file/)?bot)[^/\s?]+")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub(r"\1<token>", text)


class RedactedAccessLogger(AccessLogger):
    def _format_line(self, request: BaseRequest, response: StreamResponse, time: float) -> Any:
        return [
            (key, redact(value) if isinstance(value, str) else value)
            for key, value in super()._format_line(request, response, time)
        ]
