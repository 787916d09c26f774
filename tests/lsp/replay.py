"""Everyday editing sessions as traces, with the truth of who wrote each line.

A trace is a list of steps an editor sends (open, didChange with ranges or the
whole text, declarations, saves) plus what happens on disk and in git. While a
trace is built, every character carries its author ("H" a person, "A" an AI),
and each operation says what it does to them: typing is a person's, a
completion or an agent's write is the AI's, a formatter or a refactoring hands
every token on to where it lands. A line is AI when one of its visible
characters is; blank lines and lone punctuation ("}", ")") are not counted.

Texts are ASCII, so character offsets are UTF-16 and UTF-8 offsets alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

H, A = "H", "A"

Owners = list[str]


def owners(text: str, who: str) -> Owners:
    return [who] * len(text)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index)


def position(text: str, index: int) -> dict[str, int]:
    line = _line_of(text, index)
    return {"line": line, "character": index - (text.rfind("\n", 0, index) + 1)}


@dataclass
class Doc:
    name: str
    language_id: str
    text: str
    own: Owners

    def replace(self, start: int, end: int, text: str, who: str | Owners) -> None:
        new = owners(text, who) if isinstance(who, str) else list(who)
        assert len(new) == len(text)
        self.text = self.text[:start] + text + self.text[end:]
        self.own = self.own[:start] + new + self.own[end:]

    def ai_lines(self) -> set[int]:
        out: set[int] = set()
        line = 0
        for ch, who in zip(self.text, self.own, strict=True):
            if ch == "\n":
                line += 1
            elif who == A and not ch.isspace():
                out.add(line)
        return out

    def counted_lines(self) -> set[int]:
        """Lines attribution speaks of: not blank, not lone punctuation (see linehash)."""
        from genguard.attribution.linehash import line_hash

        return {i for i, line in enumerate(self.text.split("\n")) if line_hash(line)}

    def find(self, needle: str, nth: int = 0) -> int:
        at = -1
        for _ in range(nth + 1):
            at = self.text.index(needle, at + 1)
        return at

    def line_start(self, line: int) -> int:
        return sum(len(x) + 1 for x in self.text.split("\n")[:line])


@dataclass
class Trace:
    """A scripted session; ``steps`` are what the runner sends or does."""

    name: str
    kind: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    docs: dict[str, Doc] = field(default_factory=dict)

    # -- files and documents ---------------------------------------------------------
    def file(self, name: str, text: str, who: str = H) -> None:
        """A file on disk (not open)."""
        self.steps.append({"op": "disk", "file": name, "text": text})

    def open(self, name: str, text: str, who: str = H) -> Doc:
        lang = {"py": "python", "ts": "typescript", "go": "go"}[name.rsplit(".", 1)[1]]
        doc = self.docs[name] = Doc(name, lang, text, owners(text, who))
        self.steps.append({"op": "disk", "file": name, "text": text})
        self.steps.append({"op": "open", "file": name, "language": lang, "text": text})
        return doc

    def git(self, *args: str) -> None:
        self.steps.append({"op": "git", "args": list(args)})

    def save(self, doc: Doc) -> None:
        self.steps.append({"op": "disk", "file": doc.name, "text": doc.text})
        self.steps.append({"op": "save", "file": doc.name})

    def check(self) -> None:
        self.steps.append(
            {
                "op": "check",
                "truth": {
                    n: (sorted(d.ai_lines()), sorted(d.counted_lines()))
                    for n, d in self.docs.items()
                },
            }
        )

    # -- edits -------------------------------------------------------------------------
    def change(self, doc: Doc, edits: list[tuple[int, int, str, str | Owners]]) -> None:
        """One didChange of ranged edits, each against the text the previous one left."""
        sent = []
        for start, end, text, who in edits:
            sent.append(
                {
                    "range": {"start": position(doc.text, start), "end": position(doc.text, end)},
                    "text": text,
                }
            )
            doc.replace(start, end, text, who)
        self.steps.append({"op": "change", "file": doc.name, "changes": sent})

    def change_at(self, doc: Doc, edits: list[tuple[int, int, str, str | Owners]]) -> None:
        """Several edits given against the current text, sent last first (a workspace edit)."""
        self.change(doc, sorted(edits, key=lambda e: e[0], reverse=True))

    def whole(self, doc: Doc, text: str, own: Owners) -> None:
        """The whole new text in one change (format-on-save, a reload from disk)."""
        doc.text, doc.own = text, list(own)
        assert len(own) == len(text)
        self.steps.append({"op": "change", "file": doc.name, "changes": [{"text": text}]})

    def reload(self, doc: Doc, text: str, own: Owners) -> None:
        """The file changed on disk and the editor sends the new text."""
        self.steps.append({"op": "disk", "file": doc.name, "text": text})
        self.whole(doc, text, own)

    def type(self, doc: Doc, at: int, text: str) -> None:
        """A person typing: one change per line (keystroke batches)."""
        for piece in re.findall(r"[^\n]*\n|[^\n]+", text):
            self.change(doc, [(at, at, piece, H)])
            at += len(piece)

    def ai(self, doc: Doc, at: int, text: str, *, declare: str | None = None) -> None:
        """An AI completion or chat insertion arriving as one change."""
        self.change(doc, [(at, at, text, A)])
        if declare:
            self.steps.append(
                {
                    "op": "declare",
                    "file": doc.name,
                    "range": {
                        "start": position(doc.text, at),
                        "end": position(doc.text, at + len(text)),
                    },
                    "tool": declare,
                }
            )

    def delete(self, doc: Doc, start: int, end: int) -> str:
        cut = doc.text[start:end], doc.own[start:end]
        self.change(doc, [(start, end, "", H)])
        return cut[0]

    def cut(self, doc: Doc, start: int, end: int) -> tuple[str, Owners]:
        text, own = doc.text[start:end], doc.own[start:end]
        self.change(doc, [(start, end, "", H)])
        return text, own


# -- a formatter that knows who wrote each token ---------------------------------------

_TOKENS = re.compile(
    r'"""[\s\S]*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|`[^`]*`'
    r"|//[^\n]*|#[^\n]*"
    r"|:=|==|!=|<=|>=|\+=|-=|=>|&&|\|\||->|\*\*"
    r"|\w+|\S"
)
_NO_SPACE_BEFORE = {",", ")", "]", "}", ";", ".", ":"}
_NO_SPACE_AFTER = {"(", "[", "{", "."}
_SPACED = {"=", ":=", "==", "!=", "=>", "&&", "||", "+=", "-="}


@dataclass(frozen=True)
class Style:
    indent: str  # one level
    width: int
    quote: str | None  # '"' or "'" or None (leave strings)
    language: str


def _tokens(line: str, own: Owners) -> list[tuple[str, str, bool]]:
    """(token, owner, space before) of a line's content."""
    out = []
    prev_end = 0
    for m in _TOKENS.finditer(line):
        tok = m.group()
        who = next((own[i] for i in range(m.start(), m.end()) if not line[i].isspace()), H)
        out.append((tok, who, m.start() > prev_end))
        prev_end = m.end()
    return out


def _requote(tok: str, quote: str | None) -> str:
    if quote is None or len(tok) < 2 or tok[0] not in "'\"" or tok.startswith('"""'):
        return tok
    body = tok[1:-1]
    if quote in body or "\\" in body:
        return tok
    return quote + body + quote


def _render(tokens: list[tuple[str, str, bool]], style: Style) -> list[tuple[str, str]]:
    """(text, owner) pieces of one line's content, spaced the style's way."""
    out: list[tuple[str, str]] = []
    depth = 0
    for i, (tok, who, space) in enumerate(tokens):
        if i:
            prev = tokens[i - 1][0]
            if tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
                want = False
            elif (
                prev == ","
                or (
                    (tok in _SPACED or prev in _SPACED)
                    and not (style.language == "python" and depth > 0 and "=" in (tok, prev))
                )
                or (prev == ":" and style.language != "python")
            ):
                want = True
            else:
                want = space
            if want:
                out.append((" ", who))
        out.append((_requote(tok, style.quote) if tok[0] in "'\"" else tok, who))
        if tok in ("(", "[", "{"):
            depth += 1
        elif tok in (")", "]", "}"):
            depth -= 1
    return out


def _wrap(pieces: list[tuple[str, str]], indent: str, style: Style) -> list[list[tuple[str, str]]]:
    """A too-long line as head, one argument per line (trailing comma), closing line."""
    texts = [p[0] for p in pieces]
    if len(indent) + sum(len(t) for t in texts) <= style.width or "(" not in texts:
        return [pieces]
    open_at = texts.index("(")
    depth, close_at = 0, -1
    for i in range(open_at, len(texts)):
        if texts[i] in ("(", "[", "{"):
            depth += 1
        elif texts[i] in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                close_at = i
                break
    if close_at <= open_at + 1:
        return [pieces]
    args: list[list[tuple[str, str]]] = [[]]
    depth = 0
    for p in pieces[open_at + 1 : close_at]:
        if p[0] in ("(", "[", "{"):
            depth += 1
        elif p[0] in (")", "]", "}"):
            depth -= 1
        if p[0] == "," and depth == 0:
            args[-1].append(p)
            args.append([])
        else:
            args[-1].append(p)
    args = [a for a in args if any(x[0].strip() for x in a)]
    lines = [pieces[: open_at + 1]]
    for a in args:
        while a and a[0][0] == " ":
            a = a[1:]
        if a[-1][0] != ",":
            a = [*a, (",", a[-1][1])]
        lines.append([(style.indent, a[0][1]), *a])
    lines.append(pieces[close_at:])
    return lines


def reformat(text: str, own: Owners, style: Style, src_indent: str) -> tuple[str, Owners]:
    """``text`` laid out in ``style``: re-indented, re-spaced, strings requoted,
    long calls wrapped one argument a line, wrapped calls that fit joined again."""
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append((raw, own[pos : pos + len(raw)]))
        pos += len(raw) + 1
    # join calls a previous layout wrapped: "f(\n a,\n b,\n)" -> "f(a, b)"
    joined: list[tuple[str, Owners]] = []
    i = 0
    while i < len(lines):
        raw, o = lines[i]
        if raw.rstrip().endswith("(") and i + 1 < len(lines):
            j = i + 1
            while j < len(lines) and not lines[j][0].strip().startswith(")"):
                j += 1
            if j < len(lines) and j - i <= 8:
                parts = [(raw.rstrip(), o[: len(raw.rstrip())])]
                for k in range(i + 1, j + 1):
                    r, ro = lines[k]
                    lead = len(r) - len(r.lstrip())
                    body, bo = r.strip(), ro[lead : lead + len(r.strip())]
                    if k == j - 1 and body.endswith(","):
                        body, bo = body[:-1], bo[:-1]  # the trailing comma goes
                    if k not in (i + 1, j):
                        parts.append((" ", bo[:1] or [H]))
                    parts.append((body, bo))
                flat = "".join(p for p, _ in parts)
                if len(flat) <= style.width:
                    joined.append((flat, [w for _, po in parts for w in po]))
                    i = j + 1
                    continue
        joined.append((raw, o))
        i += 1
    out: list[tuple[str, Owners]] = []
    blank = 0
    for raw, o in joined:
        if not raw.strip():
            blank += 1
            if blank <= 2:
                out.append(("", []))
            continue
        blank = 0
        lead = raw[: len(raw) - len(raw.lstrip())]
        depth = lead.count("\t") if src_indent == "\t" else len(lead) // len(src_indent)
        indent = style.indent * depth
        pieces = _render(_tokens(raw[len(lead) :], o[len(lead) :]), style)
        for line in _wrap(pieces, indent, style):
            who = next((w for t, w in line if t.strip()), H)
            body = indent + "".join(t for t, _ in line)
            own_line = [who] * len(indent) + [w for t, w in line for _ in t]
            out.append((body, own_line))
    text_out = "\n".join(t for t, _ in out)
    own_out: Owners = []
    for n, (_t, o) in enumerate(out):
        own_out.extend(o)
        if n < len(out) - 1:
            own_out.append(o[-1] if o else H)
    assert len(own_out) == len(text_out)
    return text_out, own_out


def format_doc(trace: Trace, doc: Doc, style: Style, src_indent: str) -> None:
    """A formatter run sent as one full-document change."""
    text, own = reformat(doc.text, doc.own, style, src_indent)
    trace.whole(doc, text, own)


def dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text).lstrip("\n")
