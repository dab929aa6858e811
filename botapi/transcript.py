"""A chat as a person reads it in a terminal: who wrote, the text, numbered buttons, attached files."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

WireObject = dict[str, Any]


@dataclass(frozen=True)
class ButtonRef:
    message_id: int
    position: int
    label: str


@dataclass
class Transcript:
    """Renders messages once each (again when edited) and numbers every button it shows."""

    bot_id: int | None = None
    buttons: dict[int, ButtonRef] = field(default_factory=dict)
    documents: list[WireObject] = field(default_factory=list)
    _shown: dict[int, int] = field(default_factory=dict)
    _answers_shown: int = 0

    def new_lines(self, messages: list[WireObject], answers: list[WireObject]) -> list[str]:
        """Lines for what has not been shown yet: new or edited bot messages, button answers."""
        lines: list[str] = []
        for message in messages:
            stamp = int(message.get("edit_date", 0))
            if self._shown.get(message["message_id"]) == stamp:
                continue
            edited = message["message_id"] in self._shown
            self._shown[message["message_id"]] = stamp
            if not message["from"].get("is_bot"):
                continue
            lines.extend(self._render(message, edited=edited))
        for answer in answers[self._answers_shown :]:
            if answer.get("text"):
                lines.append(f"  （提示）{answer['text']}")
        self._answers_shown = len(answers)
        return lines

    def _render(self, message: WireObject, *, edited: bool) -> list[str]:
        when = time.strftime("%H:%M", time.localtime(message["date"]))
        header = f"── {message['from'].get('first_name', '机器人')} {when}{'（已修改）' if edited else ''} ──"
        lines = [header]
        body = message.get("text") or message.get("caption") or ""
        lines.extend(body.splitlines())
        document = message.get("document")
        if document:
            self.documents.append(document)
            lines.append(
                f"  [文件 {len(self.documents)}] {document.get('file_name', '')}"
                f"（{document.get('file_size', 0)} 字节），输入 /save {len(self.documents)} 路径 保存"
            )
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        position = 0
        for row in rows:
            labels = []
            for button in row:
                position += 1
                number = len(self.buttons) + 1
                self.buttons[number] = ButtonRef(message["message_id"], position, button["text"])
                labels.append(f"[#{number} {button['text']}]")
            lines.append("  " + " ".join(labels))
        return lines
