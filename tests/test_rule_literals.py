"""Keyed patterns: literals derived from queries, and matching that stays the same.

The matcher runs a pattern that pins a literal only around the places a file
mentions it. That is only right if the literal is truly required, so the reader
is tested on the query shapes that make a predicate optional, and the engine is
checked to find exactly what it finds with every pattern run over every node.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from genguard.rules import CompiledRules, Match, load_rules
from genguard.rules import literals as literals_module
from genguard.rules.literals import regex_literal, split_patterns
from genguard.rules.loader import compile_query
from genguard.syntax.languages import get_language, new_parser

CORPUS = Path(__file__).parent / "corpus"
SUFFIX_LANGUAGE = {".py": "python", ".js": "javascript", ".ts": "typescript", ".go": "go"}
SUFFIX_LANGUAGE |= {".java": "java", ".tsx": "tsx", ".sh": "bash"}


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"\brequest\.(args|form)\b", "request."),
        (r"^(jinja2\.)?Environment$", "Environment"),
        (r"^PROTOCOL_(SSLv2|SSLv3)$", "PROTOCOL_"),
        (r"(^|\.)XMLParser$", "XMLParser"),
        (r"abc?defg", "defg"),  # c is optional: "abdefg" matches
        (r"(?i)\bpassword\s*=", None),  # case-insensitive
        (r"subprocess|os", None),  # either branch
        (r"a.b", None),  # too short to search for
        (r"[\"']DEBUG[\"']", "DEBUG"),
    ],
)
def test_regex_literal(pattern: str, literal: str | None) -> None:
    assert regex_literal(pattern) == literal


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ('((call function: (identifier) @f) @match (#eq? @f "subprocess"))', ("subprocess",)),
        # every branch of the alternation captures @f
        (
            "((call function: [(identifier) @f (attribute attribute: (identifier) @f)]) @match"
            ' (#any-of? @f "mark_safe" "Markup"))',
            ("mark_safe", "Markup"),
        ),
        # one branch does not: a match may lack @f, and the predicate then holds
        ('((call function: [(identifier) @f (attribute)]) @match (#eq? @f "subprocess"))', None),
        # optional node
        ('((call (comment)? @c) @match (#eq? @c "subprocess"))', None),
        # negative predicates require nothing
        ('((call function: (identifier) @f) @match (#not-eq? @f "subprocess"))', None),
        # the most specific of several required literals
        (
            "((attribute object: (identifier) @m attribute: (identifier) @n) @match"
            ' (#eq? @m "ssl") (#eq? @n "CERT_NONE"))',
            ("CERT_NONE",),
        ),
    ],
)
def test_split_patterns_keys(query: str, keys: tuple[str, ...] | None) -> None:
    assert compile_query("python", query).pattern_count == 1
    assert split_patterns(query) == [(query, keys)]


def test_every_pack_query_splits_into_its_compiled_patterns() -> None:
    checked = 0
    for rule in load_rules().rules:
        if rule.query is None:
            continue
        parts = split_patterns(rule.query)
        language = next(lang for lang in rule.languages if get_language(lang) is not None)
        assert compile_query(language, rule.query).pattern_count == len(parts), rule.id
        assert all(text in rule.query for text, _ in parts), rule.id
        checked += 1
    assert checked > 50


@cache
def keyed() -> CompiledRules:
    return CompiledRules(load_rules())


@cache
def all_open() -> CompiledRules:
    """The same rules with no pattern keyed: every pattern over every node."""
    old = literals_module.MIN_SCORE
    literals_module.MIN_SCORE = 10**6
    try:
        compiled = CompiledRules(load_rules())
        for language in SUFFIX_LANGUAGE.values():
            for group in compiled.matcher_for(language).groups:
                group.compiled()  # compile now, while nothing is keyed
    finally:
        literals_module.MIN_SCORE = old
    return compiled


def _found(compiled: CompiledRules, language: str, data: bytes) -> list[tuple[str, int, int]]:
    tree = new_parser(language).parse(data)
    matches: list[Match] = compiled.matcher_for(language).run(data, tree)
    return [(m.rule.id, m.start, m.end) for m in matches]


def _samples() -> list[pytest.param]:
    out = []
    for path in sorted(CORPUS.rglob("*")):
        language = SUFFIX_LANGUAGE.get(path.suffix)
        if language is not None and path.is_file():
            out.append(pytest.param(path, language, id=str(path.relative_to(CORPUS))))
    for rule in load_rules().rules:
        if rule.query is None:
            continue
        for i, example in enumerate(rule.examples_bad + rule.examples_good):
            for language in rule.languages:
                out.append(pytest.param(example, language, id=f"{rule.id}-{language}-{i}"))
    return out


@pytest.mark.parametrize(("sample", "language"), _samples())
def test_keyed_matching_finds_what_open_matching_finds(sample: Path | str, language: str) -> None:
    data = sample.read_bytes() if isinstance(sample, Path) else sample.encode()
    assert _found(keyed(), language, data) == _found(all_open(), language, data)


@cache
def lean() -> CompiledRules:
    return CompiledRules(load_rules(), lean=True)


def _found_in_ranges(
    compiled: CompiledRules, language: str, data: bytes
) -> list[tuple[str, int, int]]:
    """Matches when every line is checked as an edited range (the editor and the gate)."""
    tree = new_parser(language).parse(data)
    ranges, start = [], 0
    for line in data.splitlines(keepends=True):
        ranges.append((start, start + len(line)))
        start += len(line)
    matches: list[Match] = compiled.matcher_for(language).run(data, tree, ranges)
    return [(m.rule.id, m.start, m.end) for m in matches]


@pytest.mark.parametrize(("sample", "language"), _samples())
def test_lean_range_checks_find_what_whole_queries_find(sample: Path | str, language: str) -> None:
    """The gate compiles only the patterns a file can match; it must miss nothing."""
    data = sample.read_bytes() if isinstance(sample, Path) else sample.encode()
    assert _found_in_ranges(lean(), language, data) == _found_in_ranges(keyed(), language, data)
