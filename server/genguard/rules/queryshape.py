"""Refuse tree-sitter query shapes whose cost explodes with the size of a file.

tree-sitter runs a query by keeping every partial match alive at once. A node
pattern with two repeated children, such as ``(module (_)* @a (_)* @b)``, has
one partial match per way of splitting the node's children between the two
repetitions, so four of them make every keystroke in a 4 KB file cost seconds.
Nesting a repetition inside a repetition, very deep patterns and very wide
alternations multiply the same way. None of these is needed to find a bug
pattern, so a repository's (untrusted) rules may not use them; the built-in
packs are held to the same shapes by their tests.

This is a light scanner of the query text (strings, comments, predicates and
field names understood), not a parser: tree-sitter itself still compiles the
query and reports syntax errors.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_DEPTH = 16
"""Deepest nesting of parentheses and brackets."""
MAX_REPEATS_PER_NODE = 1
"""``*`` / ``+`` repetitions among the children of one node (groupings included)."""
MAX_OPTIONALS_PER_NODE = 8
"""``?`` optionals among the children of one node; each doubles the partial matches."""
MAX_ALTERNATIVES = 32
"""Alternatives in one ``[...]``."""


@dataclass
class _Frame:
    kind: str  # "node", "group", "alt", "pred" or "top"
    label: str
    repeats: int = 0
    optionals: int = 0
    alternatives: int = 0
    nested_repeat: bool = False  # some repetition inside (at any depth)


def _label(text: str, at: int) -> str:
    """``(name`` for the node pattern opened at ``text[at]``."""
    end = at + 1
    while end < len(text) and (text[end].isalnum() or text[end] in "_/.-"):
        end += 1
    return text[at:end] + " ...)"


def _kind(text: str, at: int) -> str:
    """What the parenthesis at ``text[at]`` opens, from the first token inside."""
    i = at + 1
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    if i >= len(text):
        return "group"
    ch = text[i]
    if ch == "#":
        return "pred"
    if ch in '([")':
        return "group"
    return "node"


def query_shape_problem(query: str) -> str | None:
    """Why ``query``'s shape is refused for an untrusted rule, or None if it is fine."""
    stack: list[_Frame] = [_Frame("top", "the query")]
    last: _Frame | None = None  # the item just closed (a quantifier applies to it)
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == ";":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
            continue
        if ch == '"':
            i += 1
            while i < n and query[i] != '"':
                i += 2 if query[i] == "\\" else 1
            i += 1
            last = _Frame("string", "a string")
            _count_item(stack[-1])
            continue
        if ch in "([":
            kind = "alt" if ch == "[" else _kind(query, i)
            label = _label(query, i) if kind == "node" else ("[...]" if ch == "[" else "(...)")
            _count_item(stack[-1])
            stack.append(_Frame(kind, label))
            if len(stack) - 1 > MAX_DEPTH:
                return f"it nests deeper than {MAX_DEPTH} levels"
            last = None
            i += 1
            continue
        if ch in ")]":
            if len(stack) == 1:
                return None  # unbalanced: tree-sitter reports it precisely
            frame = stack.pop()
            parent = stack[-1]
            if frame.kind == "alt" and frame.alternatives > MAX_ALTERNATIVES:
                return (
                    f"an alternation has {frame.alternatives} alternatives; at most "
                    f"{MAX_ALTERNATIVES} (split the rule)"
                )
            if frame.kind in ("group", "alt") and parent.kind != "top":
                # a grouping's items are siblings of the enclosing node's children
                parent.repeats += min(frame.repeats, 1) if frame.kind == "alt" else frame.repeats
                parent.optionals += frame.optionals
                problem = _crowded(parent)
                if problem:
                    return problem
            parent.nested_repeat = parent.nested_repeat or frame.nested_repeat
            last = frame
            i += 1
            continue
        if ch in "*+?":
            frame = stack[-1]
            if last is not None and frame.kind != "pred":
                if ch in "*+":
                    if last.nested_repeat:
                        return (
                            f"it repeats {last.label}, which itself repeats something: "
                            "a repetition of a repetition"
                        )
                    frame.repeats += 1
                    frame.nested_repeat = True
                else:
                    frame.optionals += 1
                problem = _crowded(frame)
                if problem:
                    return problem
            last = None
            i += 1
            continue
        if ch.isspace():
            i += 1
            continue
        # a word: node name, field name, capture, anchor, wildcard, predicate argument
        start = i
        while i < n and not query[i].isspace() and query[i] not in '()[]";*+?':
            i += 1
        word = query[start:i]
        if word.startswith("@"):
            continue  # a capture names the item before it; a quantifier may follow
        if word.endswith(":") or word.startswith("!") or word == ".":
            last = None
            continue
        if stack[-1].kind in ("node", "group", "alt", "top") and word == "_":
            _count_item(stack[-1])
            last = _Frame("wildcard", "_")
            continue
        last = None
    return None


def _count_item(frame: _Frame) -> None:
    if frame.kind == "alt":
        frame.alternatives += 1


def _crowded(frame: _Frame) -> str | None:
    if frame.kind in ("top", "alt"):  # patterns, or alternatives: never siblings
        return None
    if frame.repeats > MAX_REPEATS_PER_NODE:
        return (
            f"it repeats {frame.repeats} children of {frame.label} with * or +: the matcher "
            "would try every way to split the children between them, and the time grows "
            "as a power of the file size. Keep one repetition per node"
        )
    if frame.optionals > MAX_OPTIONALS_PER_NODE:
        return (
            f"it makes {frame.optionals} children of {frame.label} optional with ?; at most "
            f"{MAX_OPTIONALS_PER_NODE} (each one doubles the partial matches)"
        )
    return None
