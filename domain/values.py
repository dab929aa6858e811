"""Reading one figure as people write it: full-width digits, ``减3``, ``25770元``, ``14957.7万元``.

Shared by the importer (text of published reports) and by every channel where an officer types a value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation

from domain.errors import FigureError, FigureRangeError
from domain.formats import CellKind, CellSpec

CellValue = int | Decimal

_FULL_WIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋　\u00a0",
    "0123456789.,-+  ",
)
# Digits are ASCII 0–9 (full-width ones are translated first): ``\d`` would also take Arabic-Indic,
# Devanagari or Lao digits, and ``str.isdigit`` superscripts and circled numbers that ``int`` refuses.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECREASE = re.compile(r"^(?:减少?|下降|-)\s*([0-9]+)$")
_INCREASE = re.compile(r"^(?:增加?|\+)\s*([0-9]+)$")
_MONEY = re.compile(r"^([+-]?[0-9]+(?:\.[0-9]+)?)\s*(万元|元|万)?$")
# No count in a report reaches a trillion; money beyond 15 significant digits cannot be kept exactly in
# the report document (a JSON number), so both are refused rather than rounded.
MAX_WHOLE_DIGITS = 12
MAX_MONEY_DIGITS = 15


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, every kind of space trimmed away."""
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH)).replace(",", "")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount converted to 万元; ``unit_stated`` is False when the text gave a bare number."""

    value: Decimal
    unit_stated: bool


def _refuse_foreign_digits(text: str) -> None:
    for ch in text:
        if ch.isdigit() and not "0" <= ch <= "9":
            raise FigureError(
                f"「{text.strip()}」中的「{ch}」（U+{ord(ch):04X} {unicodedata.name(ch, '')}）不是阿拉伯数字，"
                "请只用 0–9（半角或全角）填写"
            )


def parse_money(text: str, *, unit_in_header: bool = False) -> Money:
    """``25770元`` → 2.577 万元; ``14957.701682万元``; a bare number is kept as written. Exact: never rounded."""
    cleaned = normalize(text)
    _refuse_foreign_digits(cleaned)
    match = _MONEY.match(cleaned)
    if not match:
        raise FigureError(f"「{text.strip()}」不是金额，请填写数字，可带单位“元”或“万元”")
    amount = Decimal(match.group(1))
    unit = match.group(2)
    value = normalize_decimal(amount.scaleb(-4) if unit == "元" else amount)
    if len(value.as_tuple().digits) > MAX_MONEY_DIGITS:
        raise FigureRangeError(
            f"「{text.strip()}」有效数字超过{MAX_MONEY_DIGITS}位，无法准确记录（不会四舍五入），请核对金额"
        )
    return Money(value=value, unit_stated=unit is not None or unit_in_header)


def normalize_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without ever switching to exponent notation, and without rounding."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize(Context(prec=max(28, len(value.as_tuple().digits))))


def parse_whole(text: str, *, negative_allowed: bool) -> int:
    """A whole number; ``减3``/``-3`` only where a decrease is allowed."""
    cleaned = normalize(text)
    _refuse_foreign_digits(cleaned)
    if len(re.sub(r"[^0-9]", "", cleaned)) > MAX_WHOLE_DIGITS:
        raise FigureRangeError(f"「{text.strip()[:20]}」位数过多，不是表格中的件数，请核对")
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
        raise type(error)(f"{spec.short_label}：{error}", key=spec.key) from None


def check_value(spec: CellSpec, value: object) -> CellValue:
    """Validate an already-typed value (from JSON or a workflow update) for one cell."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise FigureError(f"{spec.short_label}：值的类型不正确", key=spec.key)
    if isinstance(value, str):
        return parse_cell(spec, value)
    number = _as_decimal(spec, value)
    if spec.kind is CellKind.MONEY:
        if len(number.as_tuple().digits) > MAX_MONEY_DIGITS:
            raise FigureRangeError(f"{spec.short_label}：金额有效数字超过{MAX_MONEY_DIGITS}位", key=spec.key)
        amount = normalize_decimal(number)
        if amount < 0:
            raise FigureError(f"{spec.short_label}：金额不能为负", key=spec.key)
        return amount
    if number != number.to_integral_value():
        raise FigureError(f"{spec.short_label}：件数只能填写整数", key=spec.key)
    whole = int(number)
    if whole < 0 and spec.kind is not CellKind.CHANGE:
        raise FigureError(f"{spec.short_label}：只能填写不小于0的整数", key=spec.key)
    return whole


def _as_decimal(spec: CellSpec, value: int | Decimal | float) -> Decimal:
    """The value as a finite Decimal of sensible magnitude (an int past 4,300 digits cannot even be
    printed, and ``1E+999999`` would expand to a million digits)."""
    if isinstance(value, int) and value.bit_length() > 4 * MAX_WHOLE_DIGITS:
        raise FigureRangeError(f"{spec.short_label}：数字过大", key=spec.key)
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise FigureError(f"{spec.short_label}：不是数字", key=spec.key) from None
    if not number.is_finite() or (number and number.adjusted() >= MAX_WHOLE_DIGITS):
        raise FigureRangeError(f"{spec.short_label}：不是有效的数字或数字过大", key=spec.key)
    return number


def format_value(value: CellValue | None) -> str:
    """The export text of a value: empty for blank, integers plainly, money without exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(normalize_decimal(value), "f")
    return str(value)
