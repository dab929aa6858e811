"""The product's configuration: environment variables prefixed ``NIANBAO_``, read by entry points only.

Build it with ``load_settings()`` inside a ``main``; never at import time. The bot token is a ``SecretStr``:
its ``repr`` and ``str`` show asterisks, so printing or logging the settings never shows it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")
_FIELD_LABELS: dict[str, str] = {
    "database_url": "数据库地址",
    "temporal_address": "Temporal 地址",
    "web_address": "网页服务地址",
    "public_url": "公开访问地址",
    "day_seconds": "一天的秒数",
    "reminder_days": "提醒日",
    "stuck_days": "停滞天数",
    "department_deadline": "部门截止日",
    "government_deadline": "政府截止日",
    "invite_ttl_hours": "邀请码有效小时数",
    "temporal_ui_port": "Temporal 界面端口",
    "local_bot_api_port": "本地 Bot API 端口",
    "temporal_tls_cert": "Temporal 客户端证书",
    "temporal_tls_key": "Temporal 客户端私钥",
    "temporal_tls_ca": "Temporal 服务器 CA 证书",
}


class SettingsError(Exception):
    """The environment holds a setting that cannot be used; the message is Chinese and names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NIANBAO_", frozen=True, extra="ignore")

    database_url: str = "sqlite:///var/nianbao.db"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = "nianbao"
    bot_token: SecretStr = SecretStr("")
    bot_api_url: str = "https://api.telegram.org"
    publish_dir: Path = Path("var/published")
    web_address: str = "127.0.0.1:8080"
    # Where the public reads published reports; empty: the web process at web_address.
    public_url: str = ""
    # How long one calendar day of the cycle lasts, in seconds; tests shrink it to run a year in minutes.
    day_seconds: float = Field(default=86400.0, gt=0)
    reminder_days: Annotated[tuple[int, ...], NoDecode] = (14, 7, 3, 1)
    stuck_days: int = Field(default=10, gt=0)
    department_deadline: str = "01-31"
    government_deadline: str = "03-31"
    invite_ttl_hours: int = Field(default=72, gt=0)
    # Ports of the processes ``nianbao up`` starts itself (the Temporal frontend is ``temporal_address``).
    # 0: the dev server runs without its web UI.
    temporal_ui_port: int = Field(default=0, ge=0, lt=65536)
    local_bot_api_port: int = Field(default=8081, gt=0, lt=65536)
    # A Temporal cluster or cloud namespace: mTLS files and/or an API key (either turns TLS on).
    temporal_tls_cert: Path | None = None
    temporal_tls_key: Path | None = None
    temporal_tls_ca: Path | None = None
    temporal_api_key: SecretStr = SecretStr("")
    # Signs the console's session cookies; empty: a random key per start (everyone signs in again).
    web_secret: SecretStr = SecretStr("")

    @field_validator("database_url")
    @classmethod
    def _absolute_sqlite_path(cls, value: str) -> str:
        """A relative SQLite path is taken from the current directory, whichever process reads it later."""
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL") from None
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return value
        path = Path(url.database).expanduser().resolve()
        return url.set(database=str(path)).render_as_string(hide_password=False)

    @field_validator("publish_dir")
    @classmethod
    def _absolute_publish_dir(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("temporal_address", "web_address")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("expected HOST:PORT")
        return value

    @field_validator("temporal_tls_cert", "temporal_tls_key", "temporal_tls_ca", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("temporal_tls_cert", "temporal_tls_key", "temporal_tls_ca")
    @classmethod
    def _readable_file(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        path = value.expanduser().resolve()
        if not path.is_file():
            raise ValueError("file not found")
        return path

    @model_validator(mode="after")
    def _client_certificate_with_its_key(self) -> Settings:
        if (self.temporal_tls_cert is None) != (self.temporal_tls_key is None):
            raise ValueError("NIANBAO_TEMPORAL_TLS_CERT and NIANBAO_TEMPORAL_TLS_KEY go together")
        return self

    @property
    def temporal_tls(self) -> bool:
        """TLS to Temporal: on as soon as a certificate, a CA or an API key is configured."""
        files = (self.temporal_tls_cert, self.temporal_tls_key, self.temporal_tls_ca)
        return any(files) or bool(self.temporal_api_key.get_secret_value())

    @field_validator("reminder_days", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.split(",") if part.strip())
        return value

    @field_validator("reminder_days")
    @classmethod
    def _descending_days(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(day <= 0 for day in value):
            raise ValueError("reminder days must be positive")
        return tuple(sorted(set(value), reverse=True))

    @field_validator("department_deadline", "government_deadline")
    @classmethod
    def _month_day(cls, value: str) -> str:
        match = _MONTH_DAY.fullmatch(value.strip())
        if match is None:
            raise ValueError("expected MM-DD")
        # 2024 is a leap year, so 02-29 is accepted here and moved to 02-28 in other years by deadline_for.
        date(2024, int(match[1]), int(match[2]))
        return match[0]

    @property
    def public_base_url(self) -> str:
        """The public address of the publication directory, without a trailing slash."""
        return (self.public_url or f"http://{self.web_address}").rstrip("/")

    def deadline_for(self, *, kind: str, year: int) -> date:
        """The publication deadline of the report on ``year``: in the following year, by agency kind."""
        text = self.government_deadline if kind == "government" else self.department_deadline
        month, day = (int(part) for part in text.split("-"))
        due_year = year + 1
        if (month, day) == (2, 29) and not _is_leap(due_year):
            day = 28
        return date(due_year, month, day)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the database is SQLite, else None."""
        url = make_url(self.database_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def load_settings() -> Settings:
    """Read the settings from the environment and create the SQLite database's directory."""
    try:
        settings = Settings()
    except ValidationError as error:
        names = sorted({str(problem["loc"][0]) for problem in error.errors() if problem["loc"]})
        # The one cross-field rule (certificate and key together) has no single field to name.
        names = names or ["temporal_tls_cert", "temporal_tls_key"]
        described = "、".join(f"NIANBAO_{name.upper()}（{_FIELD_LABELS.get(name, name)}）" for name in names)
        raise SettingsError(f"配置有误，请检查环境变量：{described}") from None
    if settings.sqlite_path is not None:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return settings
