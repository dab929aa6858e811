"""Readings of a row whose cells are not separated: split digit runs, or place missing blanks.

``713000074`` for seven cells whose last is the sum of the others reads only as 71|3|0|0|0|0|74. Every
reading is produced and filtered by the row's arithmetic; the caller decides what to do with several.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import combinations

from domain.importing.text import is_figure

Reading = tuple[str | None, ...]
Accept = Callable[[Reading], bool]

MAX_READINGS = 20_000


class TooManyReadingsError(Exception):
    """The number of readings exceeds what is worth enumerating."""


def readings(tokens: list[str], cells: int, accept: Accept, *, packed: bool = False) -> list[Reading]:
    """Every acceptable way to read ``tokens`` as exactly ``cells`` cells (``None`` for a blank).

    Tokens that stand apart are taken as written when there are exactly enough of them, and a single run
    of exactly as many digits as cells, run into its label (``packed``), is one digit per cell (a forced
    reading). Otherwise two
    readings are tried: the tokens as written with some cells blank (a PDF row that lost its empty cells),
    and every digit run cut into cells (cells run together); only if neither fits the row's arithmetic
    (``accept``) are both combined. Raises ``TooManyReadingsError`` past ``MAX_READINGS``.
    """
    if len(tokens) == cells:
        return [tuple(tokens)]
    if not tokens:
        return [(None,) * cells]  # nothing written in the row: every cell is blank
    if len(tokens) > cells:
        return []
    if (
        packed
        and len(tokens) == 1
        and tokens[0].isascii()
        and is_figure(tokens[0])
        and len(tokens[0]) == cells
    ):
        # Figures run into their label: one digit per cell, whatever the row's arithmetic says (a
        # published arithmetic error is reproduced, not read away). Where figures stand apart (PDF
        # text) a lone run may be one figure among lost blank cells, so this holds only for packed rows.
        return [tuple(tokens[0])]
    budget = [MAX_READINGS]
    found = [r for r in _with_blanks(tuple(tokens), cells) if _whole(r) and accept(r)]
    if accept is row_sum_ok and len(tokens) == 1 and is_figure(tokens[0]):
        found += _sum_splits(tokens[0], cells, budget)
    else:
        found += [r for r in _split_readings(tokens, cells, budget) if accept(r)]
    if not found:
        for parts in range(len(tokens) + 1, cells):
            for pieces in _split_readings(tokens, parts, budget):
                for reading in _with_blanks(pieces, cells):
                    budget[0] -= 1
                    if budget[0] < 0:
                        raise TooManyReadingsError
                    if accept(reading):
                        found.append(reading)
    return list(dict.fromkeys(found))


def _sum_splits(digits: str, cells: int, budget: list[int]) -> list[Reading]:
    """Cuts of one digit run whose last number is the sum of the others, pruned as the sum grows."""
    found: list[Reading] = []
    for cut in range(cells - 1, len(digits)):
        total_text = digits[cut:]
        if len(total_text) > 1 and total_text.startswith("0"):
            continue
        total = int(total_text)

        def walk(rest: str, parts: int, running: int, prefix: tuple[str, ...], total: int = total) -> None:
            budget[0] -= 1
            if budget[0] < 0:
                raise TooManyReadingsError
            if parts == 1:
                if rest and (rest == "0" or not rest.startswith("0")) and running + int(rest) == total:
                    found.append((*prefix, rest))
                return
            widths = [1] if rest.startswith("0") else range(1, len(rest) - parts + 2)
            for width in widths:
                value = int(rest[:width])
                if running + value > total:
                    break
                walk(rest[width:], parts - 1, running + value, (*prefix, rest[:width]))

        before = len(found)
        walk(digits[:cut], cells - 1, 0, ())
        found[before:] = [(*reading, total_text) for reading in found[before:]]
    return found


def _whole(reading: Reading) -> bool:
    """No value has a leading zero, so each is a number as written."""
    return all(v is None or v == "0" or not v.startswith("0") for v in reading)


def _split_readings(tokens: list[str], parts: int, budget: list[int]) -> Iterator[tuple[str, ...]]:
    def walk(index: int, remaining: int, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
        if index == len(tokens):
            if remaining == 0:
                yield prefix
            return
        token = tokens[index]
        later = len(tokens) - index - 1
        most = len(token) if is_figure(token) else 1
        for count in range(1, min(most, remaining - later) + 1):
            options = split_digits(token, count) if is_figure(token) else iter([(token,)])
            for pieces in options:
                budget[0] -= 1
                if budget[0] < 0:
                    raise TooManyReadingsError
                yield from walk(index + 1, remaining - count, prefix + pieces)

    yield from walk(0, parts, ())


def split_digits(digits: str, parts: int) -> Iterator[tuple[str, ...]]:
    """Ways to cut a digit run into ``parts`` numbers, none with a leading zero (``0`` alone is fine)."""
    if parts == 1:
        if digits and (digits == "0" or not digits.startswith("0")):
            yield (digits,)
        return
    if digits.startswith("0"):
        for rest in split_digits(digits[1:], parts - 1):
            yield ("0", *rest)
        return
    for cut in range(1, len(digits) - parts + 2):
        for rest in split_digits(digits[cut:], parts - 1):
            yield (digits[:cut], *rest)


def _with_blanks(pieces: tuple[str, ...], cells: int) -> Iterator[Reading]:
    if len(pieces) == cells:
        yield pieces
        return
    for blanks in combinations(range(cells), cells - len(pieces)):
        values = iter(pieces)
        yield tuple(None if i in blanks else next(values) for i in range(cells))


def row_sum_ok(reading: Reading) -> bool:
    """The last cell is the sum of the others (blank counts as 0); non-numbers never add up."""
    try:
        numbers = [0 if v is None else int(v) for v in reading]
    except ValueError:
        return False
    return sum(numbers[:-1]) == numbers[-1]


def groups_sum_ok(size: int) -> Accept:
    """Each consecutive group of ``size`` cells ends with the sum of the group's other cells."""

    def accept(reading: Reading) -> bool:
        return all(row_sum_ok(reading[i : i + size]) for i in range(0, len(reading), size))

    return accept
