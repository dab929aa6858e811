"""Inline keyboards and their callback data; every press is re-authorised by the cycle on arrival."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder


class DecisionData(CallbackData, prefix="dc"):
    """An approver's answer to the step they were shown; a stale round or step is refused by the cycle."""

    agency: str
    year: int
    round: int
    step: int
    approve: bool


class EditData(CallbackData, prefix="ed"):
    """Change one cell, by its position in the format's cell list (keys are too long for 64 bytes)."""

    agency: str
    year: int
    index: int


class FillData(CallbackData, prefix="fl"):
    """Start the walk on one cycle; ``year`` 0 (a notice's button): the officer's cycle, asked if several."""

    agency: str
    year: int


class CycleData(CallbackData, prefix="cy"):
    """The cycle chosen among several, then the command ``then`` (fill, missing, …) carried on with it."""

    agency: str
    year: int
    then: str


def decision_keyboard(agency: str, year: int, round_: int, step: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, approve in (("通过", True), ("退回", False)):
        data = DecisionData(agency=agency, year=year, round=round_, step=step, approve=approve)
        builder.button(text=text, callback_data=data)
    return builder.as_markup()


def fill_keyboard(agency: str, year: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="开始逐项填报", callback_data=FillData(agency=agency, year=year))
    return builder.as_markup()


def cycles_keyboard(cycles: list[tuple[str, int, str]], then: str) -> InlineKeyboardMarkup:
    """One button per (agency, year, label); pressing it carries on with the command ``then``."""
    builder = InlineKeyboardBuilder()
    for agency, year, label in cycles:
        builder.button(text=label[:60], callback_data=CycleData(agency=agency, year=year, then=then))
    builder.adjust(1)
    return builder.as_markup()


def edit_keyboard(agency: str, year: int, choices: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, label in choices:
        builder.button(text=label[:60], callback_data=EditData(agency=agency, year=year, index=index))
    builder.adjust(1)
    return builder.as_markup()


class AcknowledgeData(CallbackData, prefix="ak"):
    """Acknowledge warning number ``index`` of the findings the officer was shown."""

    agency: str
    year: int
    index: int


def findings_keyboard(
    agency: str, year: int, fixes: list[tuple[int, int]], warnings: list[int]
) -> InlineKeyboardMarkup:
    """``fixes``: (finding number, cell index) to edit; ``warnings``: finding numbers to acknowledge."""
    builder = InlineKeyboardBuilder()
    for number, cell_index in fixes:
        builder.button(
            text=f"修改第{number + 1}条涉及的数字",
            callback_data=EditData(agency=agency, year=year, index=cell_index),
        )
    for number in warnings:
        builder.button(
            text=f"确认第{number + 1}条（说明理由）",
            callback_data=AcknowledgeData(agency=agency, year=year, index=number),
        )
    builder.adjust(1)
    return builder.as_markup()


class ReviewData(CallbackData, prefix="rv"):
    """Show the reports waiting for this approver (the same as /review)."""


class FindingsData(CallbackData, prefix="fd"):
    """Show the officer's validation findings (the same as /findings)."""


# Outbox notice kinds (the cycle's NoticeKind values) and the buttons that act on them at once.
_NOTICE_ACTIONS: dict[str, tuple[str, ...]] = {
    "approval_needed": ("review",),
    "warnings": ("findings",),
    "missing": ("fill",),
    "findings": ("findings", "fill"),
    "rejected": ("fill",),
    "rollup": ("fill",),
    "correction": ("fill",),
    "reminder": ("fill", "review"),
    "escalation": ("fill", "review"),
}


def notice_keyboard(kind: str) -> InlineKeyboardMarkup | None:
    """Buttons under a notice; a notice of an unknown kind goes out as plain text."""
    actions = _NOTICE_ACTIONS.get(kind)
    if actions is None:
        return None
    buttons: dict[str, tuple[str, CallbackData]] = {
        "fill": ("开始逐项填报", FillData(agency="", year=0)),
        "review": ("查看待审核的报告", ReviewData()),
        "findings": ("查看校验结果", FindingsData()),
    }
    builder = InlineKeyboardBuilder()
    for action in actions:
        text, data = buttons[action]
        builder.button(text=text, callback_data=data)
    return builder.as_markup()
