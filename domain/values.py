"""Reading one figure as people write it: full-width digits, ``减3``, ``25770元``, ``14957.7万元``.

Shared by the importer (text of published reports) and by every channel where an officer types a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from domain.errors import FigureError
from domain.formats import CellKind, CellSpec

CellValue = int | Decimal

_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋　\u00a0",
    "0123456789.,-+  ",
)
_INTEGER = re.compile(r"[+-]?\d+")
_DECREASE = re.compile(r"^(?:减少?|下降|-)\s*(\d+)$")
_INCREASE = re.compile(r"^(?:增加?|\+)\s*(\d+)$")
_MONEY = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(万元|元|万)?$")
_TEN_THOUSAND = Decimal(10000)


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, every kind of space trimmed away."""
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH)).replace(",", "")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount converted to 万元; ``unit_stated`` is False when the text gave a bare number."""

    value: Decimal
    unit_stated: bool


def parse_money(text: str, *, unit_in_header: bool = False) -> Money:
    """``25770元`` → 2.577 万元; ``14957.701682万元``; a bare number is kept as written."""
    cleaned = normalize(text)
    match = _MONEY.match(cleaned)
    if not match:
        raise FigureError(f"「{text.strip()}」不是金额，请填写数字，可带单位“元”或“万元”")
    amount = Decimal(match.group(1))
    unit = match.group(2)
    if unit == "元":
        return Money(value=normalize_decimal(amount / _TEN_THOUSAND), unit_stated=True)
    return Money(value=normalize_decimal(amount), unit_stated=unit is not None or unit_in_header)


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without ever switching to exponent notation."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def parse_whole(text: str, *, negative_allowed: bool) -> int:
    """A whole number; ``减3``/``-3`` only where a decrease is allowed."""
    cleaned = normalize(text)
    decrease = _DECREASE.match(cleaned)
    if decrease:
        if not negative_allowed:
            raise FigureError(f"「{text.strip()}」是负数，但这一项只能填写不小于0的整数")
        return -int(decrease.group(1))
    increase = _INCREASE.match(cleaned)
    if increase:
        return int(increase.group(1))
    if not _INTEGER.fullmatch(cleaned):
        if re.fullmatch(r"[+-]?\d+\.\d+", cleaned):
            raise FigureError(f"「{text.strip()}」不是整数，件数只能填写整数")
        raise FigureError(f"「{text.strip()}」不是数字，请填写阿拉伯数字，例如 12")
    number = int(cleaned)
    if number < 0 and not negative_allowed:
        raise FigureError(f"「{text.strip()}」是负数，但这一项只能填写不小于0的整数")
    return number


def parse_cell(spec: CellSpec, text: str) -> CellValue:
    """Parse a value typed for one cell, raising ``FigureError`` with a Chinese reason."""
    try:
        if spec.kind is CellKind.MONEY:
            money = parse_money(text, unit_in_header=True)
            if money.value < 0:
                raise FigureError(f"「{text.strip()}」是负数，金额不能为负")
            return money.value
        return parse_whole(text, negative_allowed=spec.kind is CellKind.CHANGE)
    except FigureError as error:
        raise FigureError(f"{spec.short_label}：{error}", key=spec.key) from None


def check_value(spec: CellSpec, value: object) -> CellValue:
    """Validate an already-typed value (from JSON or a workflow update) for one cell."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise FigureError(f"{spec.short_label}：值的类型不正确", key=spec.key)
    if isinstance(value, str):
        return parse_cell(spec, value)
    if spec.kind is CellKind.MONEY:
        amount = normalize_decimal(Decimal(str(value)))
        if amount < 0:
            raise FigureError(f"{spec.short_label}：金额不能为负", key=spec.key)
        return amount
    try:
        whole = Decimal(str(value))
    except InvalidOperation:
        raise FigureError(f"{spec.short_label}：不是数字", key=spec.key) from None
    if whole != whole.to_integral_value():
        raise FigureError(f"{spec.short_label}：件数只能填写整数", key=spec.key)
    number = int(whole)
    if number < 0 and spec.kind is not CellKind.CHANGE:
        raise FigureError(f"{spec.short_label}：只能填写不小于0的整数", key=spec.key)
    return number


def format_value(value: CellValue | None) -> str:
    """The export text of a value: empty for blank, integers plainly, money without exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(normalize_decimal(value), "f")
    return str(value)
