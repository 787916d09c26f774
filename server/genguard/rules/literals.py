"""Literal text a tree-sitter query pattern cannot match without.

Most rule patterns pin an identifier with a text predicate, e.g.
``(#eq? @module "pickle")``: no match can exist where the file does not say
``pickle``, and the matched node contains that text. The matcher uses this to
run such patterns only around the places a file mentions their literal instead
of over every node, which is where a whole-repository scan spends its time.

Everything here is derived from the query source, so it holds for any rule,
including a repository's own: a literal is only taken from a positive predicate
(``#eq?``, ``#any-of?``, ``#match?``) on a capture that every match of the
pattern has (not inside an alternation branch that may lack it, not under a
``?`` or ``*`` quantifier), because py-tree-sitter treats a predicate on an
absent capture as satisfied.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

MIN_SCORE = 5
"""Weakest literal set worth keying a pattern on (see :func:`score`): shorter,
plain words such as ``get`` or ``log`` occur so often that searching for them
costs more than it saves."""

_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+|;[^\n]*)
    | (?P<string>"(?:[^"\\]|\\.)*")
    | (?P<predicate>\#[A-Za-z_-]+[?!])
    | (?P<open>[(\[])
    | (?P<close>[)\]])
    | (?P<quant>[?*+])
    | (?P<capture>@[A-Za-z_][A-Za-z0-9_.-]*)
    | (?P<word>[^\s()\[\]"@?*+;]+)
    """,
    re.VERBOSE,
)


@dataclass(slots=True)
class _Node:
    kind: str  # "(", "[" or "leaf"
    children: list[_Node] = field(default_factory=list)
    captures: list[str] = field(default_factory=list)
    quantifier: str = ""
    words: list[str] = field(default_factory=list)  # leaf text / predicate operands
    strings: list[str] = field(default_factory=list)

    @property
    def predicate(self) -> str | None:
        if self.kind == "(" and self.words and self.words[0].startswith("#"):
            return self.words[0][1:]
        return None


def _parse(source: str) -> list[tuple[_Node, int, int]]:
    """Top-level patterns of ``source`` as (tree, start offset, end offset)."""
    patterns: list[tuple[_Node, int, int]] = []
    stack: list[_Node] = [_Node("(")]  # a virtual root holding the patterns
    last: _Node | None = None
    start = 0
    pos = 0
    for m in _TOKEN_RE.finditer(source):
        if m.start() != pos:
            raise ValueError(f"unexpected query text at {pos}")
        pos = m.end()
        kind, text = m.lastgroup or "", m.group()
        if kind == "ws":
            continue
        top = stack[-1]
        if kind == "open":
            node = _Node(text)
            if len(stack) == 1:
                start = m.start()
            top.children.append(node)
            stack.append(node)
            last = None
        elif kind == "close":
            if len(stack) == 1:
                raise ValueError("unbalanced ')'")
            last = stack.pop()
            if len(stack) == 1:
                patterns.append((last, start, m.end()))
        elif kind == "quant" and last is not None:
            last.quantifier = text
        elif kind == "capture":
            if last is not None:
                last.captures.append(text[1:])
            else:
                top.words.append(text)
        elif kind == "string":
            if top.predicate is not None:
                top.strings.append(text)
            else:
                last = _Node("leaf", words=[text])
                top.children.append(last)
        else:  # a word: node type, field name, anchor, wildcard, predicate name
            if kind == "predicate":
                top.words.append(text)
                continue
            top.words.append(text)
            if text.endswith(":") or text == "." or text.startswith("!"):
                continue
            if top.kind == "[" or (top.words and top.words[0] != text):
                last = _Node("leaf", words=[text])
                top.children.append(last)
        if kind in ("quant", "capture") and len(stack) == 1 and patterns:
            tree, first, _ = patterns[-1]  # "(call) @match": the capture is the pattern's
            patterns[-1] = (tree, first, m.end())
    if len(stack) != 1 or pos != len(source):
        raise ValueError("unbalanced query")
    return patterns


def _mandatory(node: _Node) -> set[str]:
    """Captures every match of ``node`` binds."""
    if node.quantifier in ("?", "*"):
        return set()
    parts = [_mandatory(c) for c in node.children if c.predicate is None]
    if node.kind == "[":
        found = set.intersection(*parts) if parts else set()
    else:
        found = set().union(*parts)
    return found | set(node.captures)


def _predicates(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        if child.predicate is not None:
            yield child
        else:
            yield from _predicates(child)


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), body)


def regex_literal(pattern: str) -> str | None:
    """The longest plain text every match of ``pattern`` contains (3+ chars), if any.

    Conservative: a top-level ``|`` or a case-insensitive flag gives None; groups,
    classes, escapes and quantified characters end a run of plain text.
    """
    if re.search(r"\(\?[a-zA-Z]*i", pattern):
        return None
    runs: list[str] = []
    current = ""
    i, n = 0, len(pattern)

    def close() -> None:
        nonlocal current
        if current:
            runs.append(current)
        current = ""

    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return None
            nxt = pattern[i + 1]
            i += 2
            if nxt.isalnum():
                close()  # \b, \s, \d, \1 ...: not plain text
            else:
                current += nxt
            continue
        if c in "([":
            depth, j = 0, i
            while j < n:
                ch = pattern[j]
                if ch == "\\":
                    j += 2
                    continue
                if ch == "[" and pattern[i] == "(":
                    k = j + 1
                    while k < n and pattern[k] != "]":
                        k += 2 if pattern[k] == "\\" else 1
                    j = k + 1
                    continue
                if ch in "([":
                    depth += 1
                elif ch in ")]":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if depth != 0:
                return None
            close()
            i = j + 1
            continue
        if c == "|":
            return None
        if c in "?*{":
            current = current[:-1]
            close()
            if c == "{":
                end = pattern.find("}", i)
                if end < 0:
                    return None
                i = end + 1
            else:
                i += 1
            continue
        if c == "+":
            close()
            i += 1
            continue
        if c in ".^$":
            close()
            i += 1
            continue
        current += c
        i += 1
    close()
    best = max(runs, key=len, default="")
    return best if len(best) >= 3 else None


def score(literal: str) -> int:
    """How rare a literal is likely to be: its length, plus two when it has a
    capital, digit or underscore (``MODE_ECB``, ``DES3``), which plain words lack."""
    distinct = any(c.isupper() or c.isdigit() or c == "_" for c in literal)
    return len(literal) + (2 if distinct else 0)


def _candidate_sets(tree: _Node) -> list[tuple[str, ...]]:
    mandatory = _mandatory(tree)
    sets: list[tuple[str, ...]] = []
    for pred in _predicates(tree):
        name = pred.predicate
        captures = [w[1:] for w in pred.words[1:] if w.startswith("@")]
        if len(captures) != 1 or captures[0] not in mandatory or not pred.strings:
            continue
        values = [_unquote(s) for s in pred.strings]
        if name == "eq?" and len(values) == 1:
            sets.append((values[0],))
        elif name == "any-of?":
            sets.append(tuple(dict.fromkeys(values)))
        elif name == "match?" and len(values) == 1:
            literal = regex_literal(values[0])
            if literal is not None:
                sets.append((literal,))
    return [s for s in sets if s and all(s)]


def split_patterns(source: str) -> list[tuple[str, tuple[str, ...] | None]]:
    """Each top-level pattern of ``source`` with the literal set it is keyed on.

    A keyed pattern can only match where the file contains one of the literals,
    and the matched node then contains it; None means the pattern has no literal
    worth searching for. Raises ValueError on text this reader does not follow.
    """
    out: list[tuple[str, tuple[str, ...] | None]] = []
    for tree, start, end in _parse(source):
        best: tuple[str, ...] | None = None
        best_key = (MIN_SCORE - 1, 0)
        for candidate in _candidate_sets(tree):
            key = (min(score(lit) for lit in candidate), -len(candidate))
            if key > best_key:
                best, best_key = candidate, key
        out.append((source[start:end], best))
    return out
