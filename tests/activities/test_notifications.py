"""A publication notice gives the report's public address, never the server's file path."""

from __future__ import annotations

from pathlib import Path

from activities.notifications import NotificationActivities
from activities.publication_target import PublicDirectoryAddress
from contracts import Notice, NoticeKind


class Recorder:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def send(self, *, person_id: int, text: str, dedup_key: str, kind: str) -> bool:
        self.texts.append(text)
        return True


def test_published_notice_names_the_public_address(tmp_path: Path) -> None:
    root = tmp_path / "published"
    location = root / "2024" / "edu" / "r1"
    location.mkdir(parents=True)
    messenger = Recorder()
    address = PublicDirectoryAddress(root, "https://nianbao.example.gov.cn/reports/")
    notifications = NotificationActivities(messenger, public_address=address)
    details = {"agency": "清河区教育局", "location": str(location), "revision": "1"}
    notifications.notify(Notice("edu", 2024, NoticeKind.PUBLISHED, (1,), "published-1", details))
    [text] = messenger.texts
    assert text.endswith("已发布：https://nianbao.example.gov.cn/reports/2024/edu/r1/")
    assert str(tmp_path) not in text
