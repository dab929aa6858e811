"""A JSON Schema compiled into one Python predicate, for accepting valid report documents quickly.

``jsonschema``'s ``Draft202012Validator`` stays the reference and the one that explains a refusal; it
takes about 10 ms per report document, far from the 2,000 checks a second the yearly cycle needs. The
generated report schemas use a small set of keywords, so this module compiles exactly those, with the
same meaning as draft 2020-12, into nested closures. A keyword it does not know is refused when the
schema is compiled, never skipped, and ``tests/domain/test_schema_predicate.py`` checks that both agree
on valid and mutated documents.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Predicate = Callable[[Any], bool]

# Annotations and containers that do not constrain the instance by themselves.
_IGNORED = frozenset({"$schema", "$id", "$defs", "title", "description", "then", "else"})
_SUPPORTED = frozenset(
    {
        "type",
        "minimum",
        "maximum",
        "const",
        "enum",
        "required",
        "properties",
        "additionalProperties",
        "propertyNames",
        "$ref",
        "if",
    }
)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_TYPE_TESTS: dict[str, Predicate] = {
    "null": lambda value: value is None,
    "boolean": lambda value: isinstance(value, bool),
    "string": lambda value: isinstance(value, str),
    "object": lambda value: isinstance(value, Mapping),
    "array": lambda value: isinstance(value, list),
    "integer": _is_integer,
    "number": _is_number,
}


class SchemaCompiler:
    """Compiles one root schema; ``$ref`` may only point into its own ``$defs``."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        self._refs: dict[str, Predicate] = {}

    def compile(self, schema: Mapping[str, Any] | bool) -> Predicate:
        if schema is True:
            return lambda _value: True
        if schema is False:
            return lambda _value: False
        assert isinstance(schema, Mapping)
        unknown = set(schema) - _SUPPORTED - _IGNORED
        if unknown:
            raise ValueError(f"schema keyword(s) not supported by the fast predicate: {sorted(unknown)}")
        if set(schema) - _IGNORED <= {"type", "minimum", "maximum"} and "type" in schema:
            return self._leaf(schema)
        tests: list[Predicate] = []
        if "type" in schema:
            tests.append(self._type(schema["type"]))
        if "minimum" in schema or "maximum" in schema:
            tests.append(self._range(schema.get("minimum"), schema.get("maximum")))
        if "const" in schema:
            tests.append(self._enum([schema["const"]]))
        if "enum" in schema:
            tests.append(self._enum(schema["enum"]))
        if {"required", "properties", "additionalProperties", "propertyNames"} & set(schema):
            tests.append(self._object(schema))
        if "$ref" in schema:
            tests.append(self._ref(schema["$ref"]))
        if "if" in schema:
            tests.append(self._conditional(schema))
        return _all(tests)

    @staticmethod
    def _type(names: str | list[str]) -> Predicate:
        wanted = [names] if isinstance(names, str) else list(names)
        checks = tuple(_TYPE_TESTS[name] for name in wanted)
        nullable = "null" in wanted
        # Cells are nearly always a plain int or null: answer those without a call per type.
        plain_int = "integer" in wanted or "number" in wanted

        def check(value: Any) -> bool:
            if value is None:
                return nullable
            if plain_int and type(value) is int:
                return True
            return any(test(value) for test in checks)

        return check

    def _leaf(self, schema: Mapping[str, Any]) -> Predicate:
        """A typed value with an optional range (every table cell): one closure, ints answered inline."""
        of_type = self._type(schema["type"])
        low, high = schema.get("minimum", -math.inf), schema.get("maximum", math.inf)
        in_range = self._range(low, high)
        wanted = {schema["type"]} if isinstance(schema["type"], str) else set(schema["type"])
        ints = bool(wanted & {"integer", "number"})
        nullable = "null" in wanted

        def check(value: Any) -> bool:
            if value is None:
                return nullable
            if ints and type(value) is int:
                return bool(low <= value <= high)
            return of_type(value) and in_range(value)

        return check

    @staticmethod
    def _range(low: float | None, high: float | None) -> Predicate:
        def within(value: Any) -> bool:
            if not _is_number(value):
                return True
            return (low is None or value >= low) and (high is None or value <= high)

        return within

    @staticmethod
    def _enum(options: list[Any]) -> Predicate:
        if not all(isinstance(option, str) for option in options):
            raise ValueError("the fast predicate compares const/enum with strings only")
        allowed = frozenset(options)
        return lambda value: isinstance(value, str) and value in allowed

    def _object(self, schema: Mapping[str, Any]) -> Predicate:
        required = frozenset(schema.get("required", ()))
        subschemas: Mapping[str, Any] = schema.get("properties", {})
        properties = {key: self.compile(sub) for key, sub in subschemas.items()}
        allowed = frozenset(properties)
        extra = schema.get("additionalProperties", True)
        extra_check = None if extra is False else self.compile(extra)
        names = schema.get("propertyNames")
        name_check = None if names is None else self.compile(names)
        batches = _whole_number_batches(subschemas, required)
        batched = {key for batch in batches for key in batch.keys}
        others = tuple((key, test) for key, test in properties.items() if key not in batched)

        def check(value: Any) -> bool:
            if type(value) is not dict and not isinstance(value, Mapping):
                return True
            keys = value.keys()
            if not keys >= required:
                return False
            if name_check is not None and not all(name_check(key) for key in keys):
                return False
            for key in keys - allowed:
                if extra_check is None or not extra_check(value[key]):
                    return False
            for batch in batches:
                low, high, nullable = batch.low, batch.high, batch.nullable
                for key, item in zip(batch.keys, map(value.__getitem__, batch.keys), strict=True):
                    if type(item) is int:
                        if not low <= item <= high:
                            return False
                    elif item is None:
                        if not nullable:
                            return False
                    elif not properties[key](item):
                        return False
            return all(key not in value or test(value[key]) for key, test in others)

        return check

    def _ref(self, reference: str) -> Predicate:
        prefix = "#/$defs/"
        if not reference.startswith(prefix):
            raise ValueError(f"only local $defs references are supported, not {reference!r}")
        name = reference.removeprefix(prefix)
        if name not in self._refs:
            self._refs[name] = lambda _value: True  # placeholder while compiling a recursive definition
            self._refs[name] = self.compile(self._root["$defs"][name])
        return lambda value: self._refs[name](value)

    def _conditional(self, schema: Mapping[str, Any]) -> Predicate:
        condition = self.compile(schema["if"])
        then = self.compile(schema.get("then", True))
        otherwise = self.compile(schema.get("else", True))
        return lambda value: then(value) if condition(value) else otherwise(value)


def _all(tests: list[Predicate]) -> Predicate:
    if not tests:
        return lambda _value: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda value: first(value) and second(value)
    checks = tuple(tests)
    return lambda value: all(check(value) for check in checks)


def compile_schema(schema: Mapping[str, Any]) -> Predicate:
    """A predicate true exactly for the instances valid against ``schema``."""
    return SchemaCompiler(schema).compile(schema)


@dataclass(frozen=True, slots=True)
class _Batch:
    """Required properties sharing one whole-number constraint, checked in a single loop."""

    keys: tuple[str, ...]
    low: float
    high: float
    nullable: bool


def _whole_number_batches(subschemas: Mapping[str, Any], required: frozenset[str]) -> tuple[_Batch, ...]:
    """Group the required numeric leaves (the table cells) by constraint; a report has hundreds."""
    groups: dict[tuple[float, float, bool], list[str]] = {}
    for key, sub in subschemas.items():
        if key not in required or not isinstance(sub, Mapping) or "type" not in sub:
            continue
        if not set(sub) - _IGNORED <= {"type", "minimum", "maximum"}:
            continue
        types = {sub["type"]} if isinstance(sub["type"], str) else set(sub["type"])
        if not types & {"integer", "number"}:
            continue
        signature = (sub.get("minimum", -math.inf), sub.get("maximum", math.inf), "null" in types)
        groups.setdefault(signature, []).append(key)
    return tuple(_Batch(tuple(keys), low, high, nullable) for (low, high, nullable), keys in groups.items())
