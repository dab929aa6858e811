"""The fast schema predicate agrees with jsonschema's Draft202012Validator on every document."""

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schemas
from domain.document import to_document, validator
from domain.report import Report
from domain.schema_predicate import compile_schema
from tests.domain.reports import consistent_report

VARIANTS = [("2019", False), ("2021", False), ("2021", True)]

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-3, max_value=3),
    st.sampled_from([1.0, 2.5, -0.5, 3000]),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


def _paths(document: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every place in a document a value sits, for mutating one of them."""
    paths = [prefix] if prefix else []
    if isinstance(document, dict):
        for key, value in document.items():
            paths.extend(_paths(value, (*prefix, key)))
    return paths


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    format_id, legacy = draw(st.sampled_from(VARIANTS))
    document = to_document(
        consistent_report(format_id, legacy=legacy, year=2020 if format_id == "2019" else 2022)
    )
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(_paths(document)))
        target = document
        for part in path[:-1]:
            target = target[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            target[path[-1]] = draw(odd_values)
        elif action == "delete":
            del target[path[-1]]
        elif isinstance(target, dict):
            target[draw(st.sampled_from(["extra", "s3.other.natural", "s3.other_misc.total", "variant"]))] = (
                draw(st.one_of(odd_values, st.just("legacy_other")))
            )
    return format_id, document


@settings(max_examples=400, deadline=None)
@given(mutated_documents())
def test_fast_predicate_agrees_with_the_reference_validator(case: tuple[str, dict[str, Any]]) -> None:
    format_id, document = case
    fast = compile_schema(schemas.report_schema(format_id))
    assert fast(document) == validator(format_id).is_valid(document)


@pytest.mark.parametrize(("format_id", "legacy"), VARIANTS)
def test_valid_documents_are_accepted_and_a_negative_count_is_not(format_id: str, legacy: bool) -> None:
    fast = compile_schema(schemas.report_schema(format_id))
    document = to_document(Report.blank(format_id, agency="某局", year=2022, legacy_other_row=legacy))
    assert fast(document)
    broken = copy.deepcopy(document)
    broken["sections"]["s4"]["cells"]["s4.review.total"] = -1
    assert not fast(broken)


def test_unknown_keywords_are_refused_rather_than_ignored() -> None:
    with pytest.raises(ValueError, match="pattern"):
        compile_schema({"type": "string", "pattern": "^a"})
