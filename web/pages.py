"""The Jinja2 environment (autoescaping) and the small formatting helpers templates use."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from contracts import STAGE_LABELS, Stage
from storage.kinds import AGENCY_KIND_LABELS, AgencyKind
from web.clock import BEIJING

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STAGE_NAMES: dict[str, str] = {
    "not_started": "未启动",
    **{stage.value: STAGE_LABELS[stage] for stage in Stage},
}

templates = Jinja2Templates(directory=TEMPLATES_DIR)


def local_time(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def local_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(BEIJING).date().isoformat()
    return value.isoformat()


def kind_label(kind: str) -> str:
    try:
        return AGENCY_KIND_LABELS[AgencyKind(kind)]
    except ValueError:
        return kind


templates.env.globals.update(
    stage_name=lambda stage: STAGE_NAMES.get(stage, stage),
    local_time=local_time,
    local_date=local_date,
    kind_label=kind_label,
)


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    return response
