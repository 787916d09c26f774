"""What every language's metamorphic test of the taint rules shares.

Each ``test_taint_metamorphic*.py`` keeps only its language's rewrites (rename the
locals, add an intermediate variable, move the sink into a helper, ...); running a
rule's examples through them, counting the verdicts kept and lost, and the summary
table are here, so a fix to the bookkeeping lands once for every language.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import cache

import pytest
from tree_sitter import Node

from genguard.rules import CompiledRules, Rule, load_rules
from genguard.rules.model import Match
from genguard.syntax.languages import new_parser

Rewrite = Callable[[str, Rule, list[Match]], "str | None"]


@cache
def compiled(packs: tuple[str, ...]) -> CompiledRules:
    return CompiledRules(load_rules(packs=list(packs)))


def matches(code: str, rule_id: str, language: str, packs: tuple[str, ...]) -> list[Match]:
    source = code.encode()
    tree = new_parser(language).parse(source)
    found = compiled(packs).matcher_for(language).run(source, tree)
    return [m for m in found if m.rule.id == rule_id]


def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        stack.extend(reversed(cur.children))


def node_text(code: bytes, node: Node) -> str:
    return code[node.start_byte : node.end_byte].decode()


def apply_edits(code: str, edits: list[tuple[int, int, str]]) -> str:
    """``code`` with each (start, end, text) byte span replaced; an edit nested in an
    earlier one is dropped."""
    data = code.encode()
    out, pos = [], 0
    for start, end, text in sorted(edits):
        if start < pos:
            continue
        out += [data[pos:start], text.encode()]
        pos = end
    out.append(data[pos:])
    return b"".join(out).decode()


def tree_sitter_syntax(code: str, language: str) -> None:
    assert not new_parser(language).parse(code.encode()).root_node.has_error, (
        f"the rewrite broke the syntax:\n{code}"
    )


class Verdicts:
    """One language's rewrites over its taint rules' examples, and the verdicts kept."""

    def __init__(
        self,
        title: str,
        rewrites: dict[str, Rewrite],
        languages: Sequence[str],
        *,
        packs: Sequence[str] = ("security",),
        syntax: Callable[[str, str], None] = tree_sitter_syntax,
    ) -> None:
        self.title = title
        self.rewrites = rewrites
        self.languages = tuple(languages)
        self.packs = tuple(packs)
        self.syntax = syntax
        self.results: Counter[tuple[str, str]] = Counter()

    @cache  # noqa: B019 - one instance per test module, alive for the session anyway
    def rules(self) -> list[Rule]:
        return [
            r
            for r in load_rules(packs=list(self.packs)).rules
            if r.taint is not None and self.languages[0] in r.languages
        ]

    def cases(self) -> list[tuple[str, str, str, int, str]]:
        out = []
        for rule in self.rules():
            for kind, examples in (("bad", rule.examples_bad), ("good", rule.examples_good)):
                for i in range(len(examples)):
                    for name in self.rewrites:
                        out += [(name, rule.id, kind, i, lang) for lang in self.languages]
        return out

    def check(self, rewrite: str, rule_id: str, kind: str, index: int, language: str) -> None:
        """The rewritten example keeps its verdict (a bad one found, a good one quiet)."""
        rule = next(r for r in self.rules() if r.id == rule_id)
        examples = rule.examples_bad if kind == "bad" else rule.examples_good
        original = textwrap.dedent(examples[index])
        found = matches(original, rule_id, language, self.packs)
        assert bool(found) == (kind == "bad"), "the example itself"
        rewritten = self.rewrites[rewrite](original, rule, found)
        if rewritten is None or rewritten.strip() == original.strip():
            self.results[(rewrite, "n/a")] += 1
            pytest.skip("the rewrite does not apply to this example")
        self.syntax(rewritten, language)
        fired = bool(matches(rewritten, rule_id, language, self.packs))
        ok = fired == (kind == "bad")
        self.results[(rewrite, f"{kind} {'kept' if ok else 'lost'}")] += 1
        assert ok, f"{rewrite} changed the verdict of {rule_id} ({language}) on:\n{rewritten}"

    def table(self, record_property: pytest.RecordProperty, key: str) -> None:
        """The figures per rewrite, for the test summary (run after the cases), and a
        check that each rewrite was tried on bad and good examples: a rewrite that
        applied to none would have measured nothing."""
        results = self.results
        if not any(results.values()):
            pytest.skip("the metamorphic cases were not run in this session")
        rows = [f"{self.title:32} {'bad found':>10} {'good quiet':>11} {'n/a':>5}"]
        for name in self.rewrites:
            bad = results[(name, "bad kept")], results[(name, "bad lost")]
            good = results[(name, "good kept")], results[(name, "good lost")]
            rows.append(
                f"{name:32} {bad[0]:>5}/{sum(bad):<4} {good[0]:>6}/{sum(good):<4} "
                f"{results[(name, 'n/a')]:>5}"
            )
        record_property(key, "\n".join(rows))
        untried = [
            name
            for name in self.rewrites
            if not sum(results[(name, k)] for k in ("bad kept", "bad lost"))
            or not sum(results[(name, k)] for k in ("good kept", "good lost"))
        ]
        assert not untried, f"rewrites that applied to no bad or no good example: {untried}"


# -- rewrites shared by the brace languages (Go, Java, JavaScript/TypeScript) ----------

SLASH_COMMENT = "// input checked against the ALLOWED_HOSTS allow-list (whitelist) upstream"


def indent_of(code: bytes, node: Node) -> str:
    """The white space that starts ``node``'s line."""
    line_start = code.rfind(b"\n", 0, node.start_byte) + 1
    head = code[line_start : node.start_byte].decode()
    return head[: len(head) - len(head.lstrip())]


def concat_leaves(code: bytes, node: Node) -> list[Node]:
    """The operands of a chain of ``+``, left to right."""
    op = node.child_by_field_name("operator")
    if node.type == "binary_expression" and op is not None and node_text(code, op) == "+":
        return [
            *concat_leaves(code, node.child_by_field_name("left")),
            *concat_leaves(code, node.child_by_field_name("right")),
        ]
    return [node]


def is_concat(code: bytes, node: Node, literal: str) -> bool:
    """A ``+`` chain building a string (one of its operands a ``literal`` node)."""
    op = node.child_by_field_name("operator")
    if op is None or node_text(code, op) != "+":
        return False
    return any(leaf.type == literal for leaf in concat_leaves(code, node))


def in_concat(code: bytes, node: Node, literal: str) -> bool:
    parent = node.parent
    return (
        parent is not None
        and parent.type == "binary_expression"
        and is_concat(code, parent, literal)
    )


def slash_comments(code: str, continuations: tuple[str, ...]) -> str:
    """``code`` with an allow-list comment above every line that does not continue
    the one before (starts with one of ``continuations``)."""
    out = []
    for line in code.splitlines():
        indent = line[: len(line) - len(line.lstrip())]
        if line.strip() and not line.lstrip().startswith(continuations):
            out.append(indent + SLASH_COMMENT)
        out.append(line)
    return "\n".join(out) + "\n"
