"""Check a whole repository (or the staged changes) against the workspace rules.

The work is split so that an unchanged file costs one read, one hash and one
cache lookup in this process: results are cached per file under the same key the
editor uses (content hash + rules version + grammar version), so a file the
editor or an earlier scan has already checked is never parsed again. Files that
miss the cache are parsed and matched in worker processes, in batches, one
worker per core; each worker loads and compiles the rules once. With the fork
start method it inherits the rules this process already loaded, and what they
compiled: this process checks one file of each language before it forks.

Findings are located in LSP terms (0-based line, UTF-16 character), the way the
editor reports them, and carry a fingerprint of their line that ignores the
matched text of secret rules, so no secret value ever reaches a report.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from genguard.assess import (
    AiChunk,
    Checked,
    Cut,
    Finding,
    Handling,
    Hit,
    Policy,
    Snapshot,
    assess,
    rule_findings,
)
from genguard.cache.rules import workspace_rules
from genguard.cache.store import ResultCache, content_key
from genguard.config.settings import Settings
from genguard.gitio.run import GitError
from genguard.rules import Rule, RuleSet
from genguard.rules.budget import SCAN
from genguard.scan.ailines import LedgerLines, NoteLines, lines_matching
from genguard.scan.walker import (
    VENDORED,
    IgnoreRules,
    Skipped,
    looks_minified,
    relative_to_root,
    too_large,
    walk,
)
from genguard.syntax.languages import grammar_version, language_for_path
from genguard.text.buffer import TextBuffer
from genguard.text.encoding import as_utf8

if TYPE_CHECKING:
    from genguard.notes.decisions import Decision, Review

log = logging.getLogger(__name__)

BINARY_PROBE = 8192
"""A NUL byte in this many leading bytes marks a file as binary (git's own test)."""
INLINE_BYTES = 256 * 1024
"""Below this much uncached source, checking in this process beats starting workers."""
BATCHES_PER_WORKER = 4
"""More batches than workers, so one large file does not leave a core idle."""

SEVERITY_ORDER: tuple[str, ...] = ("error", "warning", "info", "hint")
SECRET_CWES = frozenset({"CWE-798", "CWE-321", "CWE-259"})

Position = tuple[int, int]


class ScanError(RuntimeError):
    """The scan cannot run as asked (not a git repository for --staged, git failing)."""


class Progress(Protocol):
    """Where a scan reports how far it got (a progress bar, or nothing)."""

    def start(self, total: int) -> None: ...

    def advance(self, n: int = 1) -> None: ...


@dataclass(frozen=True, slots=True)
class ScanOptions:
    root: Path
    paths: tuple[Path, ...] = ()
    ai_only: bool = False
    staged: bool = False
    use_cache: bool = True
    cache_dir: Path | None = None
    jobs: int | None = None
    #: the file ``[scan] exclude`` came from, named where the scan counts what it hid
    exclude_source: str | None = None


@dataclass(frozen=True, slots=True)
class ScanFinding:
    """One reported finding; positions are 0-based (line, UTF-16 character)."""

    path: str
    rule: Rule
    severity: str
    start: Position
    end: Position
    line_hash: str  # hash of the rule and the finding's line, secrets masked
    handling: Handling = "open"
    reason: str | None = None  # why it is suppressed
    detail: str | None = None  # what is specific to this hit (governance, agent-risk)
    related: tuple[RelatedPlace, ...] = ()
    #: the commit-note decision that suppresses it (who, when, why, which commit)
    decision: Decision | None = None

    @property
    def message(self) -> str:
        return f"{self.detail}. {self.rule.message}" if self.detail else self.rule.message


@dataclass(slots=True)
class ScanResult:
    root: Path
    rules: tuple[Rule, ...]
    rules_version: str
    findings: list[ScanFinding] = field(default_factory=list)
    suppressed_findings: list[ScanFinding] = field(default_factory=list)
    files_scanned: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    cached_files: int = 0
    #: reviews the commit notes record for the lines of the findings, by (path, 0-based line)
    reviews: dict[tuple[str, int], Review] = field(default_factory=dict)
    duration_ms: int = 0
    warnings: list[str] = field(default_factory=list)
    #: files that were not UTF-8, with the encoding they were read in (a guess)
    guessed_encodings: dict[str, str] = field(default_factory=dict)
    #: files ``[scan] exclude`` left out, and where the excludes came from
    excluded: list[str] = field(default_factory=list)
    exclude_source: str | None = None
    #: files ``[scan] exclude`` or the vendored default leave out, checked anyway: they
    #: hold live AI chunks
    kept: list[str] = field(default_factory=list)
    #: files whose check was cut short (a time budget, a match or node limit), with
    #: the checks that were: their findings may be missing some
    incomplete: dict[str, tuple[Cut, ...]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every file scanned was checked to the end."""
        return not self.incomplete

    @property
    def suppressed(self) -> int:
        """Findings silenced with a reason (inline markers, the editor's command)."""
        return len(self.suppressed_findings)

    def by_severity(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITY_ORDER, 0)
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        return counts


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether ``severity`` is as serious as ``threshold`` (``never`` matches nothing)."""
    if threshold not in SEVERITY_ORDER or severity not in SEVERITY_ORDER:
        return False
    return SEVERITY_ORDER.index(severity) <= SEVERITY_ORDER.index(threshold)


def is_secret_rule(rule: Rule) -> bool:
    """Rules whose matched text must never be shown or hashed into a report."""
    return rule.redact or bool(SECRET_CWES & set(rule.cwe))


def cache_key(data: bytes, version: str, language: str | None) -> str:
    """The editor's key for whole-file results, so both share one cache."""
    return content_key(data, version, language or "text", grammar_version(language or ""))


# -- locating findings ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RelatedPlace:
    """A place that explains a finding (a step of a data-flow path), in editor terms."""

    start: Position
    end: Position
    message: str


@dataclass(frozen=True, slots=True)
class Located:
    """A judged finding in editor coordinates, ready to leave the process that holds
    the text."""

    rule: str
    start: Position
    end: Position
    line_hash: str
    severity: str
    handling: Handling = "open"
    reason: str | None = None
    detail: str | None = None
    related: tuple[RelatedPlace, ...] = ()


def _line_hash(buffer: TextBuffer, rule: Rule, start: int, end: int) -> str:
    """Hash of the rule id and the finding's first line (the match masked for secrets).

    Stable while that line stays the same, wherever it moves, which is what code
    scanning needs to keep tracking an alert across commits.
    """
    line = buffer.line_of(start)
    a, b = buffer.line_start(line), buffer.line_end(line)
    text = buffer.data[a:b]
    if is_secret_rule(rule):
        lo, hi = max(start, a) - a, min(end, b) - a
        text = text[:lo] + b"\0" + text[max(hi, lo) :]
    digest = hashlib.sha256(rule.id.encode() + b"\0" + text.strip())
    return digest.hexdigest()[:16]


def locate(
    rel: str,
    data: bytes,
    language: str | None,
    hits: Checked[Hit],
    policy: Policy,
    chunks: Sequence[AiChunk] = (),
) -> Checked[Located]:
    """Judge byte-offset hits (cached, or just found with the checks cut short finding
    them) with :func:`genguard.assess.assess` and put the results in editor positions,
    with the assessment's cut.

    ``chunks`` are the file's AI chunks known from the ledger: governance and
    agent-risk checks run on them, and a suppression marker inside unreviewed AI
    code is not honoured (it is reported instead), as in the editor.
    """
    rules = policy.rules_by_id
    findings = [f for f in (Finding.from_hit(h, rules) for h in hits.items) if f is not None]
    if not findings and not chunks:
        return Checked((), hits.cut)
    snapshot = Snapshot(rel, language, data, chunks)
    assessment = assess(snapshot, policy, scope="all", findings=Checked(tuple(findings), hits.cut))
    if not assessment.items:
        return Checked((), assessment.cut)
    buffer = TextBuffer(data, "utf-16")
    located = []
    for item in assessment.items:
        f = item.finding
        related = tuple(
            RelatedPlace(buffer.position_at(r.start), buffer.position_at(r.end), r.message)
            for r in f.related
        )
        located.append(
            Located(
                f.rule.id,
                buffer.position_at(f.start),
                buffer.position_at(f.end),
                _line_hash(buffer, f.rule, f.start, f.end),
                item.severity,
                item.handling,
                item.reason,
                f.detail,
                related,
            )
        )
    return Checked(tuple(located), assessment.cut)


# -- checking files ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Task:
    rel: str
    path: str | None  # read from disk when set
    data: bytes | None  # given content (staged blobs)
    language: str | None
    chunks: tuple[AiChunk, ...] = ()  # see locate()


@dataclass(frozen=True, slots=True)
class Outcome:
    rel: str
    located: tuple[Located, ...] = ()
    skipped: str | None = None
    cut: tuple[Cut, ...] = ()  # the checks cut short (see ScanResult.incomplete)


class Checker:
    """The policy (rules compiled once) and the cache: one per process. Results are
    written to the cache in batches (:meth:`flush`), each in one transaction."""

    FLUSH_EVERY = 64

    def __init__(self, policy: Policy, cache: ResultCache | None) -> None:
        self.policy = policy
        self.cache = cache
        self._pending: list[tuple[str, list[Hit]]] = []

    def flush(self) -> None:
        """Write the results not yet in the cache."""
        if self.cache is not None and self._pending:
            self.cache.set_many(self._pending)
        self._pending = []

    def hits(self, rel: str, data: bytes, language: str | None) -> Checked[Hit]:
        """The file's rule hits, with the checks that were cut short finding them."""
        snapshot: Snapshot[AiChunk] = Snapshot(rel, language, data)
        found = rule_findings(snapshot, self.policy, budget=SCAN)
        return Checked(tuple(f.to_hit() for f in found.items), found.cut)

    def check(self, task: Task) -> Outcome:
        data = task.data
        if data is None:
            assert task.path is not None
            try:
                data = Path(task.path).read_bytes()
            except OSError as exc:
                return Outcome(task.rel, skipped=f"unreadable: {exc.strerror}")
        if b"\0" in data[:BINARY_PROBE]:
            return Outcome(task.rel, skipped="binary")
        try:
            hits = self.hits(task.rel, data, task.language)
        except Exception as exc:  # one odd file must not end the scan
            log.exception("checking %s failed", task.rel)
            return Outcome(task.rel, skipped=f"check failed: {type(exc).__name__}")
        if self.cache is not None and hits.complete:  # a cut-short result is not the answer
            key = cache_key(data, self.policy.ruleset.version, task.language)
            self._pending.append((key, list(hits.items)))
            if len(self._pending) >= self.FLUSH_EVERY:
                self.flush()
        located = locate(task.rel, data, task.language, hits, self.policy, task.chunks)
        return Outcome(task.rel, located.items, cut=located.cut)


def _rules(root: Path, settings: Settings, use_cache: bool) -> RuleSet:
    """The rules in force: from the shared rule cache, or loaded afresh without a cache."""
    if use_cache:
        return workspace_rules(root, settings)
    from genguard.rules.workspace import load_workspace_rules

    return load_workspace_rules(root, settings)


# Worker processes: one Checker each, built by the pool initializer. A forked worker
# inherits this process's policy with whatever it has compiled (queries, taint models
# and front ends), so the work of compiling them is not repeated in every worker.
_PRELOADED: Policy | None = None
_WORKER: Checker | None = None


def _init_worker(root: str, version: str, cache_dir: str | None, use_cache: bool) -> None:
    global _WORKER
    policy = _PRELOADED
    if policy is None or policy.ruleset.version != version:  # spawned, not forked: load again
        from genguard.config import load_settings

        settings = load_settings(Path(root)).settings
        policy = Policy.build(settings, _rules(Path(root), settings, use_cache), root=Path(root))
    cache = ResultCache(Path(cache_dir) if cache_dir else None) if use_cache else None
    _WORKER = Checker(policy, cache)


def _check_batch(tasks: list[Task]) -> list[Outcome]:
    assert _WORKER is not None, "worker not initialised"
    outcomes = [_WORKER.check(t) for t in tasks]
    _WORKER.flush()
    return outcomes


def _batches(tasks: list[Task], sizes: Mapping[str, int], workers: int) -> list[list[Task]]:
    """Batches of similar total size, largest files first so stragglers are small."""
    ordered = sorted(tasks, key=lambda t: -sizes.get(t.rel, 0))
    total = sum(sizes.get(t.rel, 0) for t in ordered) or 1
    target = max(total // (workers * BATCHES_PER_WORKER), 1)
    batches: list[list[Task]] = []
    current: list[Task] = []
    current_size = 0
    for task in ordered:
        current.append(task)
        current_size += sizes.get(task.rel, 0)
        if current_size >= target:
            batches.append(current)
            current, current_size = [], 0
    if current:
        batches.append(current)
    return batches


# -- the scan ---------------------------------------------------------------------


def _read_target(
    root: Path, rel: str, data: bytes | None, limit: int
) -> tuple[bytes | None, str | None]:
    if data is None:
        try:
            data = (root / rel).read_bytes()
        except OSError as exc:
            return None, f"unreadable: {exc.strerror}"
    if len(data) > limit:
        return None, too_large(len(data), limit)
    if b"\0" in data[:BINARY_PROBE]:
        return None, "binary"
    return data, None


def _staged_excluded(
    ignore: IgnoreRules, rel: str, result: ScanResult, ledger: LedgerLines
) -> bool:
    """Whether a staged file is left out: configured excludes (counted) and vendored
    code (listed as skipped), never a file with live AI chunks."""
    if ignore.excluded(rel, is_dir=False):
        if not ledger.ai(rel):
            result.excluded.append(rel)
            return True
        result.kept.append(rel)
        return False
    parts = rel.split("/")
    if any(ignore.vendored("/".join(parts[:n]), is_dir=True) for n in range(1, len(parts))) or (
        ignore.vendored(rel, is_dir=False)
    ):
        if ledger.ai(rel):
            result.kept.append(rel)
            return False
        result.skipped.append(Skipped(rel, VENDORED))
        return True
    return False


def _staged_targets(
    options: ScanOptions, exclude_check: Callable[[str], bool], result: ScanResult
) -> tuple[list[tuple[str, bytes | None]], dict[str, set[int]]]:
    from genguard.scan.git import read_blobs, staged_added_lines, staged_files

    root = options.root
    pathspecs = [relative_to_root(root, p) or "." for p in options.paths]
    try:
        files = staged_files(root, pathspecs)
        added = staged_added_lines(root, pathspecs)
        regular = [f for f in files if f.regular and not exclude_check(f.rel)]
        blobs = read_blobs(root, [f.blob for f in regular])
    except GitError as exc:
        raise ScanError(str(exc)) from exc
    targets: list[tuple[str, bytes | None]] = []
    for f in files:
        if not f.regular:
            result.skipped.append(Skipped(f.rel, "not a regular file (symlink or submodule)"))
        elif not exclude_check(f.rel):
            blob = blobs.get(f.blob)
            if blob is None:
                result.skipped.append(Skipped(f.rel, "staged content not found"))
            else:
                targets.append((f.rel, blob))
    return targets, added


def scan(
    options: ScanOptions, settings: Settings, *, progress: Progress | None = None
) -> ScanResult:
    """Run the rules over the files ``options`` selects and collect what they find."""
    global _PRELOADED
    started = time.perf_counter()
    root = options.root
    use_cache = options.use_cache and settings.cache.enabled
    cache = ResultCache(options.cache_dir) if use_cache else None

    # the rules from the cache every process shares (genguard.cache.rules): a scan whose
    # files are all in the result cache never loads them, and queries compile on first use
    ruleset = _rules(root, settings, use_cache)
    result = ScanResult(
        root=root,
        rules=ruleset.rules,
        rules_version=ruleset.version,
        exclude_source=options.exclude_source,
    )
    result.warnings.extend(str(e) for e in ruleset.errors)
    policy = Policy.build(settings, ruleset, root=root)
    ledger = LedgerLines(root)
    ai_files = ledger.files()  # AI code is never left out of the guard's sight
    limit = settings.scan.max_file_bytes

    added: dict[str, set[int]] | None = None
    targets: list[tuple[str, bytes | None]]
    if options.staged:
        ignore = IgnoreRules(root, settings.scan.exclude, vendored=settings.scan.skip_vendored)
        decided: dict[str, bool] = {}

        def leave_out(rel: str) -> bool:
            if rel not in decided:
                decided[rel] = _staged_excluded(ignore, rel, result, ledger)
            return decided[rel]

        targets, added = _staged_targets(options, leave_out, result)
    else:
        walked = walk(
            root,
            options.paths,
            exclude=settings.scan.exclude,
            max_file_bytes=limit,
            skip_vendored=settings.scan.skip_vendored,
            keep=ai_files,
        )
        result.skipped.extend(walked.skipped)
        result.excluded, result.kept = walked.excluded, walked.kept
        targets = [(f.rel, None) for f in walked.files]
    if progress is not None:
        progress.start(len(targets))

    outcomes: list[Outcome] = []
    misses: list[Task] = []
    sizes: dict[str, int] = {}
    contents: dict[str, bytes] = {}  # staged content, kept for line checks
    for rel, given in targets:
        data, skipped = _read_target(root, rel, given, limit)
        if data is None:
            result.skipped.append(Skipped(rel, skipped or "unreadable"))
            if progress is not None:
                progress.advance()
            continue
        if settings.scan.skip_vendored and looks_minified(data):
            if rel not in ai_files:
                result.skipped.append(Skipped(rel, VENDORED))
                if progress is not None:
                    progress.advance()
                continue
            if rel not in result.kept:  # an agent's code is checked however it looks
                result.kept.append(rel)
        data, guessed = as_utf8(data)
        if guessed is not None:  # check the decoded text, and say it was a guess
            result.guessed_encodings[rel] = guessed
            given = data
        if given is not None:
            contents[rel] = given
        language = language_for_path(rel)
        hit = cache.get(cache_key(data, ruleset.version, language)) if cache else None
        chunks = ledger.chunks(rel, data)
        rules = policy.rules_by_id
        if isinstance(hit, list) and all(Finding.from_hit(h, rules) is not None for h in hit):
            located = locate(rel, data, language, Checked(tuple(hit)), policy, chunks)
            outcomes.append(Outcome(rel, located.items))
            result.cached_files += 1
            if progress is not None:
                progress.advance()
            continue
        path = None if given is not None else str(root / rel)
        misses.append(Task(rel, path, given, language, chunks))
        sizes[rel] = len(data)
    if cache is not None:
        cache.close()  # workers open their own; a SQLite handle must not cross a fork

    if misses:
        outcomes.extend(_run(options, policy, misses, sizes, progress, use_cache=use_cache))
    by_id = policy.rules_by_id
    for outcome in outcomes:
        if outcome.skipped is not None:
            result.skipped.append(Skipped(outcome.rel, outcome.skipped))
            continue
        result.files_scanned += 1
        if outcome.cut:
            result.incomplete[outcome.rel] = outcome.cut
        findings = [
            ScanFinding(
                outcome.rel,
                by_id[loc.rule],
                loc.severity,
                loc.start,
                loc.end,
                loc.line_hash,
                loc.handling,
                loc.reason,
                loc.detail,
                loc.related,
            )
            for loc in outcome.located
            if loc.rule in by_id
        ]
        if added is not None:
            lines = added.get(outcome.rel, set())
            findings = [f for f in findings if _touches(f, lines)]
        if options.ai_only and findings:
            findings = _ai_findings(root, findings, contents, ledger, staged=options.staged)
        result.findings.extend(f for f in findings if f.handling == "open")
        result.suppressed_findings.extend(f for f in findings if f.handling == "suppressed")

    result.warnings.extend(
        f"{rel}: not UTF-8; checked as {enc} (the encoding is a guess)"
        for rel, enc in sorted(result.guessed_encodings.items())
    )
    if not options.staged and result.findings:  # staged lines are new: no note speaks of them
        _apply_note_decisions(result)
    for found in (result.findings, result.suppressed_findings):
        found.sort(key=lambda f: (f.path, f.start, f.end, f.rule.id))
    result.skipped.sort(key=lambda s: s.path)
    result.duration_ms = round((time.perf_counter() - started) * 1000)
    _PRELOADED = None
    return result


def _apply_note_decisions(result: ScanResult) -> None:
    """Honour suppressions that commit notes carry for lines blame still gives their commit."""
    from genguard.scan.notedecisions import FindingKey, NoteDecisions

    keys = {id(f): FindingKey(f.path, f.start[0], f.rule.id) for f in result.findings}
    try:
        found = NoteDecisions(result.root).lookup(keys.values())
    except GitError as exc:  # a plain folder, or git refusing: no decision can travel here
        log.debug("note decisions not read: %s", exc)
        return
    result.warnings.extend(found.warnings)
    result.reviews = found.reviews
    kept: list[ScanFinding] = []
    for f in result.findings:
        decision = found.honoured.get(keys[id(f)])
        if decision is None:
            kept.append(f)
        else:
            result.suppressed_findings.append(
                replace(f, handling="suppressed", reason=decision.reason, decision=decision)
            )
    result.findings = kept


def _touches(finding: ScanFinding, lines: set[int]) -> bool:
    return any(n in lines for n in _finding_lines(finding))


def _finding_lines(finding: ScanFinding) -> range:
    last = finding.end[0]
    if finding.end[1] == 0 and last > finding.start[0]:
        last -= 1  # a match that ends with its line break does not touch the next line
    return range(finding.start[0], last + 1)


def _run(
    options: ScanOptions,
    policy: Policy,
    misses: list[Task],
    sizes: Mapping[str, int],
    progress: Progress | None,
    *,
    use_cache: bool,
) -> list[Outcome]:
    """Check the files the cache did not have: inline when few, else in worker processes."""
    global _PRELOADED
    if not misses:
        return []
    cache_dir = options.cache_dir
    workers = max(1, options.jobs or os.cpu_count() or 1)
    if workers == 1 or len(misses) == 1 or sum(sizes.values()) < INLINE_BYTES:
        return _run_inline(policy, misses, cache_dir if use_cache else None, use_cache, progress)

    # One file of each language checked here first compiles what every check of that
    # language needs once, before the fork, instead of once in every worker.
    first = _first_of_each_language(misses, sizes)
    outcomes = _run_inline(policy, first, cache_dir if use_cache else None, use_cache, progress)
    checked = {id(t) for t in first}
    misses = [t for t in misses if id(t) not in checked]
    if not misses:
        return outcomes
    # imported here: multiprocessing is a tenth of the command's imports, and a scan
    # answered from the cache, or checked inline, never starts a worker
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    batches = _batches(misses, sizes, workers)
    _PRELOADED = policy  # inherited by forked workers
    pending: dict[Any, list[Task]] = {}
    try:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(batches)),
            initializer=_init_worker,
            initargs=(
                str(options.root),
                policy.ruleset.version,
                str(cache_dir) if cache_dir else None,
                use_cache,
            ),
        ) as pool:
            pending = {pool.submit(_check_batch, batch): batch for batch in batches}
            for future in as_completed(list(pending)):
                outcomes.extend(future.result())
                batch = pending.pop(future)
                if progress is not None:
                    progress.advance(len(batch))
    except BrokenProcessPool:
        # A worker died (out of memory, a crash in a grammar): finish here instead.
        log.warning("a scan worker stopped; checking the remaining files in this process")
        rest = [t for batch in pending.values() for t in batch]
        outcomes.extend(
            _run_inline(policy, rest, cache_dir if use_cache else None, use_cache, progress)
        )
    return outcomes


def _first_of_each_language(tasks: Sequence[Task], sizes: Mapping[str, int]) -> list[Task]:
    """The smallest file of each language among ``tasks`` (the quickest to check)."""
    first: dict[str | None, Task] = {}
    for task in tasks:
        known = first.get(task.language)
        if known is None or sizes.get(task.rel, 0) < sizes.get(known.rel, 0):
            first[task.language] = task
    return list(first.values())


def _run_inline(
    policy: Policy,
    tasks: Sequence[Task],
    cache_dir: Path | None,
    use_cache: bool,
    progress: Progress | None,
) -> list[Outcome]:
    cache = ResultCache(cache_dir) if use_cache else None
    checker = Checker(policy, cache)
    try:
        out = []
        for task in tasks:
            out.append(checker.check(task))
            if progress is not None:
                progress.advance()
        return out
    finally:
        checker.flush()
        if cache is not None:
            cache.close()


def _ai_findings(
    root: Path,
    findings: list[ScanFinding],
    contents: Mapping[str, bytes],
    ledger: LedgerLines,
    *,
    staged: bool,
) -> list[ScanFinding]:
    """Keep findings that touch at least one AI line (ledger hashes, then commit notes)."""
    notes = None if staged else NoteLines(root)
    by_file: dict[str, list[ScanFinding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    kept: list[ScanFinding] = []
    for rel, file_findings in by_file.items():
        wanted = {n for f in file_findings for n in _finding_lines(f)}
        data = contents.get(rel)
        if data is None:
            try:
                data = (root / rel).read_bytes()
            except OSError:
                data = b""
        buffer = TextBuffer(data)
        text = {n: buffer.line_bytes(n) for n in wanted if n < buffer.line_count}
        ai = lines_matching(text, ledger.ai(rel))
        if notes is not None and not wanted <= ai:
            ai |= notes.ai_lines(rel)
        kept.extend(f for f in file_findings if _touches(f, ai))
    return kept
