"""Governance checks on AI chunks: where AI may write, with what, and how much.

These are organisation rules rather than code patterns: protected paths, the
approved tools and models, a size limit per AI act, banned imports and a
license header for new files. Each check is evaluated per AI chunk from plain
facts the caller gathers, and reports :class:`Violation` values; the message,
severity, CWE and controls come from the matching rule of the ``governance``
pack (its ``check`` field), so policy text lives with the other rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

import pathspec

from genguard.config.settings import Settings
from genguard.governance.imports import LANGUAGES as IMPORT_LANGUAGES
from genguard.governance.imports import banned_match, find_imports, mentions_any
from genguard.rules.model import CHECKS

PROTECTED_PATH = "protected-path"
APPROVED_TOOL = "approved-tool"
APPROVED_MODEL = "approved-model"
CHUNK_SIZE = "chunk-size"
BANNED_IMPORT = "banned-import"
LICENSE_HEADER = "license-header"


HEADER_SLACK_LINES = 10
"""A license header may start this many lines down (shebangs, encodings, blank lines)."""

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ChunkFacts:
    """What the checks need to know about one AI chunk, without any editor types.

    ``text`` is the chunk's current text, found at byte ``start`` of the file;
    ``starts_file`` says the chunk began the file (offset 0, or nothing but
    whitespace around it); ``file_head`` is the start of the file, at least
    :attr:`GovernancePolicy.header_window` lines of it.
    """

    file: str
    language: str | None
    text: bytes
    start: int
    line_count: int
    tool: str
    model: str | None = None
    reviewed: bool = False
    starts_file: bool = False
    file_head: bytes = b""


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken governance check; ``start``/``end`` are byte offsets in the file."""

    check: str
    start: int
    end: int
    detail: str


def _normalise_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class GovernancePolicy:
    """The governance settings, compiled once per configuration load."""

    protected_paths: tuple[str, ...] = ()
    approved_tools: tuple[str, ...] = ()
    approved_models: tuple[str, ...] = ()
    max_chunk_lines: int = 0
    banned_imports: tuple[str, ...] = ()
    license_header: tuple[str, ...] = ()
    enabled: frozenset[str] = frozenset(CHECKS)
    _spec: pathspec.PathSpec | None = field(default=None, repr=False, compare=False)
    _protected_cache: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        *,
        protected_paths: Sequence[str] = (),
        approved_tools: Sequence[str] = (),
        approved_models: Sequence[str] = (),
        max_chunk_lines: int = 0,
        banned_imports: Sequence[str] = (),
        license_header: str | None = None,
        enabled: Collection[str] = CHECKS,
    ) -> GovernancePolicy:
        """A policy from plain values; patterns that do not compile are dropped
        (the configuration loader has already reported them)."""
        patterns = []
        for p in protected_paths:
            try:
                pathspec.GitIgnoreSpec.from_lines([p])
            except Exception:
                continue
            patterns.append(p)
        spec = pathspec.GitIgnoreSpec.from_lines(patterns) if patterns else None
        header = tuple(
            n for n in (_normalise_line(x) for x in (license_header or "").splitlines()) if n
        )
        return cls(
            protected_paths=tuple(patterns),
            approved_tools=tuple(approved_tools),
            approved_models=tuple(approved_models),
            max_chunk_lines=max(0, max_chunk_lines),
            banned_imports=tuple(banned_imports),
            license_header=header,
            enabled=frozenset(enabled),
            _spec=spec,
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, enabled: Collection[str] = CHECKS
    ) -> GovernancePolicy:
        gov = settings.governance
        return cls.build(
            protected_paths=gov.protected_paths,
            approved_tools=settings.approved_tools,
            approved_models=gov.approved_models,
            max_chunk_lines=gov.max_chunk_lines,
            banned_imports=gov.banned_imports,
            license_header=gov.license_header,
            enabled=enabled,
        )

    @property
    def size_only(self) -> bool:
        """True when only the chunk size can fire: callers may then skip gathering facts
        for chunks within the limit (this runs on every publish)."""
        on = self.enabled
        return not (
            (PROTECTED_PATH in on and self._spec is not None)
            or (APPROVED_TOOL in on and self.approved_tools)
            or (APPROVED_MODEL in on and self.approved_models)
            or (BANNED_IMPORT in on and self.banned_imports)
            or (LICENSE_HEADER in on and self.license_header)
        )

    def within_size(self, line_count: int, reviewed: bool) -> bool:
        """Whether the chunk-size check stays quiet for a chunk of ``line_count`` lines."""
        return (
            CHUNK_SIZE not in self.enabled
            or not self.max_chunk_lines
            or reviewed
            or line_count <= self.max_chunk_lines
        )

    @property
    def header_window(self) -> int:
        """How many leading lines of a file the license header check reads."""
        return len(self.license_header) + HEADER_SLACK_LINES if self.license_header else 0

    def protected_pattern(self, file: str) -> str | None:
        """The protected-path glob ``file`` (workspace-relative, ``/``-separated) falls under."""
        if self._spec is None:
            return None
        if file not in self._protected_cache:
            result = self._spec.check_file(file)
            hit = None
            if result.include and result.index is not None:
                hit = self.protected_paths[result.index]
            if len(self._protected_cache) > 4096:
                self._protected_cache.clear()
            self._protected_cache[file] = hit
        return self._protected_cache[file]

    def has_header(self, head: bytes) -> bool:
        """Whether the header's lines appear, in order, in ``head``'s first lines."""
        lines = head.decode("utf-8", errors="replace").splitlines()[: self.header_window]
        i = 0
        for line in lines:
            if i < len(self.license_header) and self.license_header[i] in _normalise_line(line):
                i += 1
        return i == len(self.license_header)


def _head_span(facts: ChunkFacts) -> tuple[int, int]:
    """The chunk's first non-blank line, where chunk-wide findings are shown."""
    text = facts.text
    offset = 0
    while True:
        nl = text.find(b"\n", offset)
        line = text[offset:] if nl < 0 else text[offset:nl]
        if line.strip() or nl < 0:
            end = offset + len(line.rstrip(b"\r"))
            return facts.start + offset, facts.start + max(end, offset + (1 if text else 0))
        offset = nl + 1


def evaluate(facts: ChunkFacts, policy: GovernancePolicy) -> list[Violation]:
    """Every enabled governance check that ``facts`` break, in a stable order."""
    out: list[Violation] = []
    on = policy.enabled
    head: tuple[int, int] | None = None

    def add(check: str, detail: str, span: tuple[int, int] | None = None) -> None:
        nonlocal head
        if span is None:
            head = head or _head_span(facts)
            span = head
        out.append(Violation(check, span[0], span[1], detail))

    if PROTECTED_PATH in on and not facts.reviewed:
        pattern = policy.protected_pattern(facts.file)
        if pattern is not None:
            add(PROTECTED_PATH, f"Protected path {pattern!r} matches {facts.file}")
    if APPROVED_TOOL in on and policy.approved_tools and facts.tool not in policy.approved_tools:
        who = (
            f"{facts.tool}, which is not an approved tool"
            if facts.tool != "unknown"
            else "an undeclared tool, which cannot be shown to be approved"
        )
        add(APPROVED_TOOL, f"Written by {who} (approved: {', '.join(policy.approved_tools)})")
    if APPROVED_MODEL in on and policy.approved_models:
        model = facts.model
        if model is None or not any(fnmatchcase(model, p) for p in policy.approved_models):
            who = f"model {model}, which is not approved" if model else "an undeclared model"
            add(
                APPROVED_MODEL,
                f"Written by {who} (approved: {', '.join(policy.approved_models)})",
            )
    if not policy.within_size(facts.line_count, facts.reviewed):
        add(
            CHUNK_SIZE,
            f"{facts.line_count} lines in one AI chunk (limit {policy.max_chunk_lines})",
        )
    if (
        BANNED_IMPORT in on
        and policy.banned_imports
        and facts.language in IMPORT_LANGUAGES
        and mentions_any(facts.text, policy.banned_imports)
    ):
        for ref in find_imports(facts.text, facts.language):
            entry = banned_match(ref.name, policy.banned_imports)
            if entry is not None:
                detail = f"Imports {ref.name!r}, " + (
                    f"which falls under the banned {entry!r}"
                    if entry != ref.name
                    else "which is banned"
                )
                add(BANNED_IMPORT, detail, (facts.start + ref.start, facts.start + ref.end))
    if (
        LICENSE_HEADER in on
        and policy.license_header
        and facts.starts_file
        and not policy.has_header(facts.file_head)
    ):
        add(
            LICENSE_HEADER,
            f"No license header ({policy.license_header[0]!r}) in the file's first lines",
        )
    return out
