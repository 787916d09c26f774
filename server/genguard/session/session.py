"""The guard's state for one workspace: settings, rules, ledger and open documents.

Pure Python (no LSP types): the language server translates messages into these
calls and the results back into LSP; the demo and tests can drive it directly.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from genguard.assess import (
    Assessment,
    Checked,
    Finding,
    Policy,
    RiskEntry,
    RiskMemo,
    Snapshot,
    assess,
    line_context,
)
from genguard.attribution.chunk import KINDS, Chunk
from genguard.attribution.moves import WorkspaceOrigins
from genguard.attribution.reattach import locate
from genguard.attribution.state import ChunkState, live_by_file, replay
from genguard.attribution.tracker import Outcome, Thresholds
from genguard.cache.store import ResultCache, content_key
from genguard.config import ConfigProblem, Settings, load_settings
from genguard.gitio import repo_root, user_email
from genguard.ledger import Ledger
from genguard.ledger.refusals import record_refused
from genguard.rules import Rule, RuleError
from genguard.rules.workspace import load_workspace_rules
from genguard.session import present
from genguard.session.document import ChangeReport, GuardedDocument, GuardError, Range
from genguard.session.present import DiagnosticInfo, FileProvenance
from genguard.session.recorder import EditorRecorder
from genguard.syntax.languages import grammar_version, language_for_id
from genguard.telemetry.live import LiveExporter, live_exporter

if TYPE_CHECKING:
    from genguard.gitio.run import RepoPaths

log = logging.getLogger(__name__)

Located = tuple[Finding, Chunk | None]


@dataclass(slots=True)
class Problems:
    """Things the user must be told about (config and rule errors)."""

    config: list[ConfigProblem] = field(default_factory=list)
    rules: list[RuleError] = field(default_factory=list)


def _replaced(before: bytes, after: bytes, first: int, last: int) -> bytes | None:
    """What ``after[first:last]`` replaced in ``before``, when the rest of the text is equal."""
    tail = len(after) - last
    stop = len(before) - tail
    if stop < first or before[:first] != after[:first] or before[stop:] != after[last:]:
        return None
    return before[first:stop]


def uri_to_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


class Session:
    def __init__(
        self,
        root: Path | None,
        *,
        encoding: str = "utf-16",
        cache_dir: Path | None = None,
        ledger: Ledger | None = None,
    ) -> None:
        self.root = root
        self.encoding = encoding
        self.documents: dict[str, GuardedDocument] = {}
        self._replayed: tuple[tuple[int, int], dict[str, list[ChunkState]]] | None = None
        self.problems = Problems()
        self.settings = Settings.default()
        self.actor = (user_email(root) if root else None) or "unknown"
        self.repo_root = repo_root(root) if root else None
        self._ledger_override = ledger
        self.ledger: Ledger | None = None
        self._cache_dir = cache_dir
        self.cache: ResultCache | None = None
        self.telemetry: LiveExporter | None = None
        # agent-risk: per document, the text before its last change and per-chunk results
        self._before: dict[str, tuple[int, bytes]] = {}
        self._risk: dict[str, RiskMemo] = {}
        # the committed text of open files, while HEAD and the index stay (_git_blobs)
        self._git_paths: RepoPaths | None = None
        self._blobs: dict[str, tuple[tuple[object, ...], dict[str, bytes | None]]] = {}
        # moves and copies between open documents (see attribution.moves)
        self.origins = WorkspaceOrigins(
            lambda: [
                (d.file, d.buffer.data, d.tracker.line_owner, (d.line_keys, d.buffer))
                for d in self.documents.values()
            ]
        )
        self.reload()

    # -- configuration ---------------------------------------------------------
    def reload(self) -> Problems:
        """(Re)read config and rules; open documents are re-checked from scratch."""
        previous: EditorRecorder | None = getattr(self, "recorder", None)
        if previous is not None:
            previous.flush()  # to the ledger and telemetry they were made for
        problems = Problems()
        if self.root is not None:
            result = load_settings(self.root)
            self.settings = result.settings
            problems.config = list(result.problems)
        self.ruleset = load_workspace_rules(self.root, self.settings)
        problems.rules = list(self.ruleset.errors)
        self.policy = Policy.build(self.settings, self.ruleset, root=self.repo_root or self.root)
        self.compiled = self.policy.compiled
        if self.settings.ledger.enabled:
            if self._ledger_override is not None:
                self.ledger = self._ledger_override
            elif self.root is not None:
                try:
                    self.ledger = Ledger.for_workspace(self.root)
                except Exception as exc:  # unwritable location: keep guarding
                    log.warning("ledger unavailable: %s", exc)
                    self.ledger = None
        else:
            self.ledger = None
        if self.ledger is not None and any(p.refused for p in problems.config):
            try:  # a refused setting is recorded once (genguard.ledger.refusals)
                record_refused(
                    self.ledger.append,
                    self.ledger.path.parent,
                    [p for p in problems.config if p.refused],
                    self.repo_root or self.root,
                )
            except Exception as exc:
                log.warning("could not record refused settings: %s", exc)
        self.cache = ResultCache(self._cache_dir) if self.settings.cache.enabled else None
        self.telemetry = live_exporter(  # [telemetry]: never blocks, off by default
            self.settings,
            self.repo_root,
            current=self.telemetry,
            rules=self.ruleset,
            ledger=self.ledger.path if self.ledger is not None else None,
        )
        self.recorder = EditorRecorder(self.ledger, self.telemetry)
        thresholds = self.thresholds
        for doc in self.documents.values():
            doc.tracker.thresholds = thresholds
            doc.needs_full_check = True
            doc.published = None
        self.problems = problems
        return problems

    @property
    def governance_rules(self) -> Mapping[str, Rule]:
        return self.policy.governance_rules

    @property
    def agent_risk_rules(self) -> Mapping[str, Rule]:
        return self.policy.agent_risk_rules

    @property
    def thresholds(self) -> Thresholds:
        return self.settings.heuristics

    @property
    def reviewer(self) -> str:
        return self.settings.reviewer or self.actor

    @property
    def records_held(self) -> bool:
        """Whether ledger records wait for :meth:`flush_records`."""
        return bool(self.recorder.held)

    def hold_records(self) -> None:
        """Keep ledger records until :meth:`flush_records` (a language server writes
        an edit's records once its answer to the edit is published)."""
        self.recorder.hold()

    def flush_records(self) -> None:
        """Write the ledger records held since :meth:`hold_records`, and each one at
        once from now on."""
        self.recorder.flush()

    # -- documents -------------------------------------------------------------
    def _file_name(self, uri: str) -> str:
        path = uri_to_path(uri)
        if path is None:
            return uri
        base = self.repo_root or self.root
        if base is not None:
            try:
                return path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                pass
        return path.as_posix()

    def get(self, uri: str) -> GuardedDocument:
        doc = self.documents.get(uri)
        if doc is None:
            raise GuardError(f"unknown document {uri}: it was never opened (didOpen)")
        return doc

    def open(self, uri: str, language_id: str | None, version: int, text: str) -> GuardedDocument:
        path = uri_to_path(uri)
        language = language_for_id(language_id, path or uri)
        doc = GuardedDocument(
            uri,
            self._file_name(uri),
            language,
            version,
            text,
            thresholds=self.thresholds,
            encoding=self.encoding,
            origins=self.origins,
        )
        self.documents[uri] = doc
        self._reattach(doc)
        return doc

    def _recorded_chunks(self) -> dict[str, list[ChunkState]]:
        """Live chunks per file from the ledger, replayed again only when it changed."""
        ledger = self.ledger
        if ledger is None:
            return {}
        try:
            stat = ledger.path.stat()
        except OSError:
            return {}
        key = (stat.st_size, stat.st_mtime_ns)
        if self._replayed is None or self._replayed[0] != key:
            try:
                self._replayed = (key, live_by_file(replay(ledger.records())))
            except Exception as exc:  # a damaged ledger must not stop the editor
                log.warning("could not read chunks back from the ledger: %s", exc)
                self._replayed = (key, {})
        return self._replayed[1]

    def _reattach(self, doc: GuardedDocument) -> None:
        """Bring back this file's recorded chunks where their lines still stand."""
        states = self._recorded_chunks().get(doc.file)
        if not states or doc.binary:
            return
        data = doc.buffer.data
        for state in states:
            span = locate(data, state.line_hashes)
            if span is None:
                continue
            chunk = Chunk(
                id=state.id,
                file=doc.file,
                tool=state.tool,
                method="declared" if state.method == "declared" else "heuristic",
                kind=state.kind,
                created=state.created,
                fingerprint=doc.tracker.fingerprint_of(data[span[0] : span[1]]),
                segments=[span],
                original_length=span[1] - span[0],
                model=state.model,
                prompt_hash=state.prompt_hash,
                status="reviewed" if state.status == "reviewed" else "unreviewed",
                reviewer=state.reviewer,
                suppressed=dict(state.suppressed),
            )
            doc.tracker.adopt(chunk)

    def close(self, uri: str) -> None:
        doc = self.documents.get(uri)
        if doc is not None:
            self._flush(doc)
            self.origins.forget(doc.file)
        self.documents.pop(uri, None)
        if doc is not None:
            self._blobs.pop(doc.file, None)
        self._before.pop(uri, None)
        self._risk.pop(uri, None)

    def save(self, uri: str) -> None:
        self._flush(self.get(uri))

    def _flush(self, doc: GuardedDocument) -> None:
        """What is recorded per save or close rather than per keystroke."""
        self.recorder.human_edits(doc)
        self.recorder.inline_suppressions(doc, self.assess(doc), self.reviewer)

    def change(
        self, uri: str, version: int, changes: Sequence[tuple[Range | None, str]]
    ) -> ChangeReport:
        doc = self.get(uri)
        before = doc.buffer.data  # immutable bytes: keeping it costs no copy
        committed = self._committed(doc, changes)
        report = doc.apply_changes(version, changes, heuristic=not committed)
        self.recorder.outcome(doc, report.outcome)
        if committed:
            self._reattach(doc)
        if self.agent_risk_rules:
            self._before[uri] = (doc.version, before)
            for chunk in report.outcome.created:
                self._remember_edit(doc, chunk, before)
        return report

    def _committed(self, doc: GuardedDocument, changes: Sequence[tuple[Range | None, str]]) -> bool:
        """Whether a reload brings text git holds for this file (a checkout, a reset):
        then nothing in it is judged AI by its size; recorded chunks come back instead.
        Such a reload brings the file's content on disk; other text is not asked about.

        Asked only of changes that bring several lines, whole or ranged (editors send
        a reload either way)."""
        if self.repo_root is None or not any(
            rng is None or rng[1][0] - rng[0][0] > 1 or text.count("\n") > 1
            for rng, text in changes
        ):
            return False
        from genguard.gitio.history import GitError
        from genguard.text.buffer import TextBuffer, encode

        # An editor reloads what changed on disk: text that is not the file's content
        # there is no checkout, and git need not be asked (a process per paste).
        path = uri_to_path(doc.uri)
        try:
            size = path.stat().st_size if path is not None else -1
        except OSError:
            return False
        if len(changes) == 1 and changes[0][0] is not None:
            (rng, text) = changes[0]
            start, _ = doc.buffer.offset_at(*rng[0])
            end, _ = doc.buffer.offset_at(*rng[1])
            new = encode(text)
            end = max(start, end)
            if len(doc.buffer) - (end - start) + len(new) != size:
                return False
            data = doc.buffer.data[:start] + new + doc.buffer.data[end:]
        else:
            scratch = TextBuffer(doc.buffer.data, doc.buffer.encoding)
            for rng, text in changes:  # the text this didChange leaves
                if rng is None:
                    scratch = TextBuffer(text, doc.buffer.encoding)
                    continue
                start, _ = scratch.offset_at(*rng[0])
                end, _ = scratch.offset_at(*rng[1])
                scratch.replace(start, max(start, end), encode(text))
            data = scratch.data
        try:
            if path is None or len(data) != size or path.read_bytes() != data:
                return False
        except OSError:
            return False
        try:
            blobs = self._git_blobs(doc.file)
        except GitError:
            return False
        return data in blobs.values()

    def _git_blobs(self, file: str) -> dict[str, bytes | None]:
        """``file`` at HEAD and in the index; asked of git again only once HEAD or the
        index changed (an undo back to the disk's text asks it once, not per undo)."""
        from genguard.gitio.history import git_at, read_blobs
        from genguard.gitio.run import head_and_index, repo_paths

        assert self.repo_root is not None
        if self._git_paths is None:
            self._git_paths = repo_paths(git_at(self.repo_root))
        state = head_and_index(self._git_paths)
        cached = self._blobs.get(file)
        if state is not None and cached is not None and cached[0] == state:
            return cached[1]
        blobs = read_blobs(self.repo_root, [f"HEAD:{file}", f":{file}"])
        if state is not None:
            self._blobs[file] = (state, blobs)
        return blobs

    # -- checking --------------------------------------------------------------
    def check(self, doc: GuardedDocument, *, record: bool = True) -> bool:
        """Re-check ``doc`` on its whole tree; the ledger sees only this final result.
        Without ``record`` the caller records it (:meth:`record_findings`) once it has
        shown it: the editor's answer comes first."""
        matcher = self.compiled.matcher_for(doc.language)
        changed = doc.check(matcher, self.settings.scope, full_results=self._cached(doc))
        if changed and record:
            self.record_findings(doc)
        return changed

    def record_findings(self, doc: GuardedDocument) -> None:
        """Record how ``doc``'s findings in AI chunks changed since the last record."""
        self.recorder.findings(doc, self.assess(doc))

    def _cached(self, doc: GuardedDocument):
        cache = self.cache
        if cache is None:
            return None
        by_id = {r.id: r for r in self.ruleset.rules}
        parts = (self.ruleset.version, doc.language or "text", grammar_version(doc.language or ""))

        def lookup(data: bytes, compute):
            key = content_key(data, *parts)
            hit = cache.get(key)
            if isinstance(hit, list):
                cached = [Finding.from_hit(h, by_id) for h in hit]
                if all(f is not None for f in cached):
                    return Checked(tuple(f for f in cached if f is not None))
            found = compute()
            if found.complete:  # a check cut short is no file's answer
                cache.set(key, [f.to_hit() for f in found.items])
            return found

        return lookup

    def visible_findings(self, doc: GuardedDocument) -> list[Located]:
        """Findings to show, each with the AI chunk it sits in (scope and suppressions applied)."""
        return self.assess(doc).visible

    def assess(self, doc: GuardedDocument) -> Assessment[Chunk]:
        """The document's findings with their handling (:func:`genguard.assess.assess`).

        Cheap enough for every publish: the rule findings are the ones the document
        keeps up to date incrementally, suppression markers are looked for only on
        the lines of findings, and agent-risk results are memoised per chunk.
        """
        snapshot = Snapshot(doc.file, doc.language, doc.buffer.data, doc.tracker.live())
        memo = self._risk.setdefault(doc.uri, {})
        findings = Checked(tuple(doc.findings), doc.cut)
        return assess(snapshot, self.policy, findings=findings, memo=memo)

    def _remember_edit(self, doc: GuardedDocument, chunk: Chunk, before: bytes | None) -> None:
        """Keep what a new or declared chunk's edit replaced, for the diff-aware checks."""
        replaced = None
        if before is not None:
            data = doc.buffer.data
            first, last = line_context(data, chunk.start, chunk.end)
            replaced = _replaced(before, data, first, last)
        self._risk.setdefault(doc.uri, {})[chunk.id] = RiskEntry(replaced)

    def diagnostics(self, doc: GuardedDocument) -> list[DiagnosticInfo]:
        """What the editor shows for ``doc`` (see :mod:`genguard.session.present`)."""
        return present.diagnostics(
            doc, self.assess(doc), unreviewed=self.settings.unreviewed_diagnostic
        )

    # -- declarations and actions ----------------------------------------------
    def declare_ai(
        self,
        uri: str,
        version: int | None,
        rng: Range,
        *,
        tool: str,
        model: str | None = None,
        prompt_hash: str | None = None,
        kind: str | None = None,
    ) -> Chunk:
        doc = self.get(uri)
        start, end = doc.offsets(doc.map_range(version, rng))
        if start >= end:
            raise GuardError("genguard/aiEdit: the range is empty")
        kind = kind or "unknown"
        if kind not in KINDS:
            log.info("unrecognised chunk kind %r recorded as given", kind)
        chunk, outcome = doc.tracker.declare_ai(
            start,
            end,
            tool=tool,
            text=doc.buffer.data[start:end],
            model=model,
            kind=kind,
            prompt_hash=prompt_hash,
            lines=doc.line_bounds(start, end),
        )
        doc.dirty.append((chunk.start, chunk.end))
        self.recorder.outcome(doc, outcome)
        if self.agent_risk_rules:
            last = self._before.get(uri)
            before = last[1] if last is not None and last[0] == doc.version else None
            self._remember_edit(doc, chunk, before)
        return chunk

    def declare_human(self, uri: str, version: int | None, rng: Range, reason: str) -> Outcome:
        doc = self.get(uri)
        start, end = doc.offsets(doc.map_range(version, rng))
        outcome = doc.tracker.declare_human(start, end)
        self.recorder.outcome(doc, outcome, human_reason=reason)
        return outcome

    def mark_reviewed(self, uri: str, chunk_id: str) -> Chunk:
        doc = self.get(uri)
        chunk = doc.tracker.mark_reviewed(chunk_id, self.reviewer)
        if chunk is None:
            raise GuardError(f"no live AI chunk {chunk_id!r} in {uri}")
        self.recorder.reviewed(doc, chunk)
        # review settles governance findings (protected paths)
        self.recorder.findings(doc, self.assess(doc))
        return chunk

    def suppress(self, uri: str, chunk_id: str, rule_id: str, justification: str) -> Chunk:
        doc = self.get(uri)
        justification = justification.strip()
        if not justification:
            raise GuardError("a suppression needs a justification")
        chunk = doc.tracker.chunks.get(chunk_id)
        if chunk is None:
            raise GuardError(f"no live AI chunk {chunk_id!r} in {uri}")
        chunk.suppressed[rule_id] = justification
        rule = self.policy.rules_by_id.get(rule_id)
        cwe = rule.cwe if rule is not None else ()
        self.recorder.suppressed(doc, chunk, rule_id, cwe, justification, self.reviewer)
        return chunk

    def provenance(self, uri: str) -> FileProvenance:
        doc = self.get(uri)
        return present.provenance(doc, self.assess(doc))
