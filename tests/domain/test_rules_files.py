"""The rules files are readable data: every rule documented, compiled for every format variant."""

import re
from pathlib import Path

import pytest

import schemas
from domain.rules import compiled_rules

RULES_DIR = Path(schemas.__file__).resolve().parent
VARIANTS = [("2019", False), ("2021", False), ("2021", True)]


@pytest.mark.parametrize("format_id", schemas.FORMAT_IDS)
def test_every_rule_has_a_one_line_comment_above_it(format_id: str) -> None:
    lines = (RULES_DIR / f"rules-{format_id}.toml").read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == "[[rule]]"]
    assert starts
    assert all(lines[i - 1].startswith("# ") for i in starts)


@pytest.mark.parametrize("format_id", schemas.FORMAT_IDS)
def test_rule_ids_are_unique_and_severities_known(format_id: str) -> None:
    rules = schemas.rules_document(format_id)["rule"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    assert {rule["severity"] for rule in rules} <= {"error", "warning"}
    assert all(re.fullmatch(r"[a-z_0-9]+\.[a-z_0-9]+", rule_id) for rule_id in ids)


@pytest.mark.parametrize(("format_id", "legacy"), VARIANTS)
def test_rules_compile_for_every_format_variant(format_id: str, legacy: bool) -> None:
    compiled = compiled_rules(format_id, legacy)
    # 7 column balances + 7 column totals + one row total per row of 三 + 3 groups of 四, at least.
    rows = 23 if format_id == "2019" or legacy else 25
    assert len(compiled.always) >= 7 + 7 + rows + 3
    assert compiled.previous
    assert compiled.pre_publication


def test_both_formats_cover_the_rules_of_the_format_readme() -> None:
    for format_id in schemas.FORMAT_IDS:
        ids = {rule["id"] for rule in schemas.rules_document(format_id)["rule"]}
        assert {
            "s3.balance",
            "s3.outcome_total",
            "s3.row_total",
            "s4.group_total",
            "cells.count",
            "cells.money_unit",
            "structure.section_missing",
            "structure.section_order",
            "structure.heading",
            "prose.new_applications",
            "cross_year.carried_in",
            "pre_publication.blank_cells",
            "pre_publication.prose_empty",
        } <= ids
