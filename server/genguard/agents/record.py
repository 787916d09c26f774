"""``genguard record``: attribute what an agent changed in a file since its last known state.

The last known state is the file as genguard last recorded it (a snapshot under
``<git common dir>/genguard/snapshots/``: its line hashes and the id of a git
blob holding the text), else the index, else HEAD, else nothing (a new file).
The change since then is diffed as the editor diffs a reload
(:mod:`genguard.attribution.diff`): a formatting-only change attributes
nothing, and lines that moved (removed from this or another recorded file and
inserted elsewhere) keep their attribution; the rest of the new text becomes
``chunk.created`` records — the shape the editor writes, with ``method:
declared`` and ``kind: agent`` — one chunk per changed region, followed by one
``checkpoint.recorded`` event. When the agent says what text it wrote, only
changed lines holding that text are attributed, so human edits made between two
agent edits stay human. The ledger holds only hashes; the snapshot's text is an
object in git's own store, like a stash, and goes when git prunes it.

Each file is then judged by :func:`genguard.assess.assess` with its recorded
chunks, as the editor judges it: the workspace rules, governance and agent-risk
checks, inline suppressions (refused when the agent wrote them). An open finding
becomes a ``finding.raised`` record on its chunk, an inline-suppressed one a
``finding.suppressed`` record; the checkpoint lists them all, with the
checkpoint-wide check (how many files it touched).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sys
import time
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from genguard.attribution.diff import Edit, minimal_edits
from genguard.attribution.linehash import line_hash
from genguard.attribution.moves import line_key
from genguard.config.settings import DEFAULT_MAX_FILE_BYTES
from genguard.fileio import write_private
from genguard.gitio.run import Git, GitError, RepoPaths, read_blobs
from genguard.ledger import Ledger, events, hash_text
from genguard.ledger.records import (
    CHECKPOINT_RECORDED,
    CHUNK_CREATED,
    FINDING_RAISED,
    FINDING_SUPPRESSED,
)
from genguard.ledger.store import LEDGER_FILENAME
from genguard.syntax.languages import language_for_path

SNAPSHOT_DIR = "snapshots"
SESSIONS_FILE = "agent-sessions.json"
MAX_SESSIONS = 200
_PROMPT_HASH_RE = re.compile(r"^(?:sha256:)?([0-9a-fA-F]{64})$")


class RecordError(ValueError):
    """Bad input to ``genguard record``; nothing was recorded."""


def normalize_prompt_hash(value: str | None) -> str | None:
    """``sha256:<hex>`` from a SHA-256 given with or without prefix; refuses anything else,
    so a prompt pasted by mistake is never stored."""
    if value is None:
        return None
    m = _PROMPT_HASH_RE.match(value.strip())
    if m is None:
        raise RecordError(
            "--prompt-hash must be a SHA-256 (64 hex digits, optionally prefixed 'sha256:'),"
            " never the prompt itself"
        )
    return "sha256:" + m.group(1).lower()


def raw_line_hashes(data: bytes) -> list[str]:
    """One hash per line, blank lines included (what the diff compares)."""
    return [hashlib.sha256(line).hexdigest()[:16] for line in data.split(b"\n")]


@dataclass(slots=True)
class Baseline:
    """A file's last known state."""

    where: str  # "snapshot" | "index" | "HEAD" | "none"
    hashes: list[str]
    text: bytes | None = None  # None: only the hashes are known


@dataclass(slots=True)
class FileCheckpoint:
    file: str
    chunks: list[str] = field(default_factory=list)
    lines: int = 0
    baseline: str = "none"


@dataclass(slots=True)
class RecordedFinding:
    """A finding in recorded code (``chunk`` None: on the checkpoint as a whole).

    ``lines`` are the 1-based first and last line of the finding; ``match_hash``
    the hash of what it matched (never the text itself).
    """

    rule: str
    severity: str
    file: str | None
    chunk: str | None
    lines: tuple[int, int] | None
    detail: str | None
    handling: str = "open"
    reason: str | None = None
    cwe: tuple[str, ...] = ()
    chunk_lines: tuple[int, int] | None = None
    match_hash: str | None = None
    about_marker: bool = False
    pack: str = ""
    marker: str | None = None  # the kind of comment that suppressed it (ignore, nosec)


@dataclass(slots=True)
class RecordResult:
    files: list[FileCheckpoint] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    findings: list[RecordedFinding] = field(default_factory=list)
    #: what the checks left undone (the note format's ``incomplete`` entries)
    incomplete: list[dict[str, str]] = field(default_factory=list)

    @property
    def chunk_ids(self) -> list[str]:
        return [c for f in self.files for c in f.chunks]


class Recorder:
    """Checkpoints for one repository."""

    def __init__(
        self,
        git: Git,
        paths: RepoPaths,
        actor: str | None = None,
        max_bytes: int = DEFAULT_MAX_FILE_BYTES,
    ) -> None:
        self.git = git
        self.paths = paths
        self.actor = actor
        #: Files larger than this are not attributed (``[scan] max_file_bytes``): the
        #: ledger keeps hashes per line, and a huge file must not make it huge.
        self.max_bytes = max_bytes

    def _too_large(self, path: Path) -> int | None:
        """The size of ``path`` when it is over the limit."""
        try:
            size = path.stat().st_size
        except OSError:
            return None
        return size if size > self.max_bytes else None

    # -- paths and state ---------------------------------------------------------
    def relpath(self, path: str | Path, cwd: Path) -> str | None:
        """Repository-relative posix path of ``path``; None when outside the work tree."""
        p = Path(path)
        if not p.is_absolute():
            p = cwd / p
        try:
            return p.resolve().relative_to(self.paths.top.resolve()).as_posix()
        except ValueError:
            return None

    def _snapshot_path(self, rel: str) -> Path:
        key = hashlib.sha256(rel.encode("utf-8", "surrogateescape")).hexdigest()[:32]
        return self.paths.genguard_dir / SNAPSHOT_DIR / f"{key}.json"

    def _read_snapshot(self, rel: str) -> tuple[list[str], str | None] | None:
        """(line hashes, blob id of the text or None) of the file's snapshot."""
        try:
            data = json.loads(self._snapshot_path(rel).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        lines = data.get("lines") if isinstance(data, dict) else None
        if data.get("file") != rel or not isinstance(lines, list):
            return None
        blob = data.get("blob")
        return [str(h) for h in lines], blob if isinstance(blob, str) else None

    def write_snapshot(self, rel: str, data: bytes | None) -> None:
        path = self._snapshot_path(rel)
        if data is None:
            path.unlink(missing_ok=True)
            return
        try:  # the text, for the next record to diff against (git's store, not the ledger)
            blob: str | None = self.git.text("hash-object", "-w", "--stdin", input=data)
        except GitError:
            blob = None
        write_private(
            path,
            json.dumps(
                {"file": rel, "time": time.time(), "lines": raw_line_hashes(data), "blob": blob}
            ),
        )

    def baseline(self, rels: Sequence[str]) -> dict[str, Baseline]:
        """Each file's last known state: where from, its line hashes, its text if known."""
        out: dict[str, Baseline] = {}
        missing = []
        blobs_wanted: dict[str, str] = {}
        for rel in rels:
            snap = self._read_snapshot(rel)
            if snap is not None:
                out[rel] = Baseline("snapshot", snap[0])
                if snap[1]:
                    blobs_wanted[rel] = snap[1]
            else:
                missing.append(rel)
        specs = list(blobs_wanted.values())
        specs += [f":{r}" for r in missing] + [f"HEAD:{r}" for r in missing]
        if not specs:
            return out
        blobs = read_blobs(self.git, specs)
        for rel, oid in blobs_wanted.items():
            text = blobs.get(oid)
            if text is not None and raw_line_hashes(text) == out[rel].hashes:
                out[rel].text = text
        for rel in missing:
            index, head = blobs.get(f":{rel}"), blobs.get(f"HEAD:{rel}")
            if index is not None:
                out[rel] = Baseline("index", raw_line_hashes(index), index)
            elif head is not None:
                out[rel] = Baseline("HEAD", raw_line_hashes(head), head)
            else:
                out[rel] = Baseline("none", [], b"")
        return out

    # -- recording -------------------------------------------------------------------
    def ledger(self) -> Ledger:
        return Ledger(self.paths.genguard_dir / LEDGER_FILENAME, actor=self.actor)

    def record(
        self,
        files: Mapping[str, list[str] | None],
        *,
        tool: str,
        model: str | None = None,
        prompt_hash: str | None = None,
        source: str = "cli",
        extra: Mapping[str, Any] | None = None,
    ) -> RecordResult:
        """Attribute the changes in ``files`` (repo-relative path -> agent's texts or None)."""
        result = RecordResult()
        base = self.baseline(list(files))
        records: list[tuple[str, dict[str, Any]]] = []
        current: dict[str, bytes | None] = {}
        written: dict[str, list[tuple[str, list[int]]]] = {}  # file -> (chunk, AI lines)
        oversize: list[dict[str, Any]] = []
        for rel in files:
            path = self.paths.top / rel
            size = self._too_large(path)
            if size is not None:
                oversize.append({"file": rel, "bytes": size, "limit": self.max_bytes})
                result.skipped.append(
                    f"{rel}: {size} bytes, over the {self.max_bytes}-byte limit"
                    " ([scan] max_file_bytes); not attributed"
                )
                continue
            try:
                current[rel] = path.read_bytes()
            except FileNotFoundError:
                current[rel] = None
                result.skipped.append(f"{rel}: no such file (deleted?)")
            except OSError as exc:
                raise RecordError(f"cannot read {rel}: {exc}") from exc
        # every file's edits first: a line removed from one and inserted in another moved
        edits: dict[str, list[Edit]] = {}
        moved: set[bytes] = set()
        for rel, data in current.items():
            old = base[rel].text
            if data is None or old is None:
                continue
            edits[rel] = minimal_edits(old, data, language_for_path(rel))
            moved |= _removed_keys(old, edits[rel])
        for rel, texts in files.items():
            data = current.get(rel)
            if data is None:
                continue  # missing, or over the size limit
            baseline = base[rel]
            checkpoint = FileCheckpoint(rel, baseline=baseline.where)
            if rel in edits:
                regions = _new_regions(data, edits[rel], texts, moved)
            else:
                regions = _changed_regions(baseline.hashes, data, texts)
            for first, last, numbers, hashes, text in regions:
                chunk = secrets.token_hex(6)
                records.append(
                    (
                        CHUNK_CREATED,
                        {
                            "chunk": chunk,
                            "file": rel,
                            "lines": [first, last],
                            "tool": tool,
                            "model": model,
                            "method": "declared",
                            "kind": "agent",
                            "status": "unreviewed",
                            "reviewer": None,
                            "line_hashes": hashes,
                            "content_hash": hash_text(text),
                            "prompt_hash": prompt_hash,
                            "bytes": len(text),
                            "source": source,
                        },
                    )
                )
                checkpoint.chunks.append(chunk)
                checkpoint.lines += len(hashes)
                written.setdefault(rel, []).append((chunk, numbers))
            result.files.append(checkpoint)
        result.findings = self.check(
            current,
            written,
            [f.file for f in result.files if f.chunks],
            tool=tool,
            model=model,
            incomplete=result.incomplete,
        )
        for f in result.findings:
            if f.about_marker:
                continue  # a warning about a comment, not a finding in the code
            ref = events.chunk_ref(f.chunk, f.file, f.chunk_lines)
            if f.handling == "suppressed" and f.lines is not None and f.match_hash:
                inline = (f.marker or "ignore", f.lines, f.match_hash)
                data = events.finding_suppressed(
                    ref, rule=f.rule, cwe=f.cwe, reason=f.reason or "", by=self.actor, inline=inline
                )
                records.append((FINDING_SUPPRESSED, data))
                continue
            data = events.finding_raised(
                ref,
                rule=f.rule,
                cwe=f.cwe,
                severity=f.severity,
                at=f.lines,
                match_hash=f.match_hash or "",
                source=source,
            )
            records.append((FINDING_RAISED, data))
        if oversize:
            extra = {**dict(extra or {}), "oversize": oversize}
        if result.incomplete:  # a check cut short is no clean checkpoint
            extra = {**dict(extra or {}), "incomplete": result.incomplete}
            for entry in result.incomplete:
                where = f"{entry['file']}: " if "file" in entry else ""
                print(f"genguard record: warning: {where}{entry['detail']}", file=sys.stderr)
        if result.findings:
            from genguard.agentrisk import PACK as AGENT_RISK_PACK

            extra = {
                **dict(extra or {}),
                "agent_risk": [
                    {"rule": f.rule, "file": f.file}
                    for f in result.findings
                    if f.pack == AGENT_RISK_PACK
                ],
                "findings": [
                    {
                        "rule": f.rule,
                        "file": f.file,
                        "line": f.lines[0] if f.lines else None,
                        "handling": f.handling,
                    }
                    for f in result.findings
                ],
            }
        ledger = self.ledger()
        for event, data in records:
            ledger.append(event, data)
        ledger.append(
            CHECKPOINT_RECORDED,
            {
                "tool": tool,
                "model": model,
                "prompt_hash": prompt_hash,
                "source": source,
                "files": [
                    {
                        "file": f.file,
                        "chunks": f.chunks,
                        "ai_lines": f.lines,
                        "baseline": f.baseline,
                    }
                    for f in result.files
                ],
                **dict(extra or {}),
            },
        )
        for rel, data in current.items():
            self.write_snapshot(rel, data)
        return result

    def check(
        self,
        current: Mapping[str, bytes | None],
        written: Mapping[str, list[tuple[str, list[int]]]],
        files: Sequence[str],
        *,
        tool: str,
        model: str | None,
        incomplete: list[dict[str, str]] | None = None,
    ) -> list[RecordedFinding]:
        """The assessment of what this checkpoint wrote; never fails the record. What
        the checks left undone is added to ``incomplete``."""
        if not written:
            return []
        undone = [] if incomplete is None else incomplete
        try:
            return _check(
                self.paths.top,
                current,
                written,
                files,
                tool=tool,
                model=model,
                state_dir=self.paths.genguard_dir,
                incomplete=undone,
            )
        except Exception as exc:  # a check must not lose the attribution
            print(f"genguard record: checks skipped: {exc}", file=sys.stderr)
            undone.append({"what": "error", "detail": f"checks skipped: {exc}"})
            return []

    def snapshot(self, rels: Sequence[str]) -> None:
        """Remember the files as they are now (before an agent edits them)."""
        for rel in rels:
            if self._too_large(self.paths.top / rel) is not None:
                continue  # never attributed: no snapshot needed
            try:
                data = (self.paths.top / rel).read_bytes()
            except FileNotFoundError:
                data = None
            self.write_snapshot(rel, data)

    # -- prompts by agent session -------------------------------------------------
    def _sessions_path(self) -> Path:
        return self.paths.genguard_dir / SESSIONS_FILE

    def remember_prompt(self, session: str, prompt_hash: str) -> None:
        path = self._sessions_path()
        try:
            sessions = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(sessions, dict):
                sessions = {}
        except (OSError, ValueError):
            sessions = {}
        sessions[session] = {"prompt_hash": prompt_hash, "time": time.time()}
        newest = sorted(sessions.items(), key=lambda kv: kv[1].get("time", 0))[-MAX_SESSIONS:]
        write_private(path, json.dumps(dict(newest)))

    def prompt_for(self, session: str | None) -> str | None:
        if not session:
            return None
        try:
            sessions = json.loads(self._sessions_path().read_text(encoding="utf-8"))
            value = sessions.get(session, {}).get("prompt_hash")
        except (OSError, ValueError, AttributeError):
            return None
        return value if isinstance(value, str) else None


def _check(
    top: Path,
    current: Mapping[str, bytes | None],
    written: Mapping[str, list[tuple[str, list[int]]]],
    files: Sequence[str],
    *,
    tool: str,
    model: str | None,
    state_dir: Path | None = None,
    incomplete: list[dict[str, str]] | None = None,
) -> list[RecordedFinding]:
    """The assessment of each written file's AI lines; with ``state_dir``, each file's
    conclusion is kept there for the commit gate (:mod:`genguard.cache.conclusions`).
    A check cut short is no conclusion: it is not kept, and ``incomplete`` says so."""
    from genguard.agentrisk import evaluate_checkpoint
    from genguard.agentrisk.manifests import signature
    from genguard.assess import AiChunk, Policy, assess_lines
    from genguard.cache.conclusions import chunk_line, conclusion_key, remember
    from genguard.cache.rules import rules_key, workspace_rules  # cached across processes
    from genguard.config import load_settings
    from genguard.notes.format import cut_short

    settings = load_settings(top).settings
    ruleset = workspace_rules(top, settings)
    policy = Policy.build(settings, ruleset, root=top, lean=True)  # a few files, checked once
    out: list[RecordedFinding] = []
    for rel, recorded in written.items():
        data = current.get(rel)
        if data is None:
            continue
        lines: dict[int, AiChunk] = {}
        for chunk_id, numbers in recorded:
            template = AiChunk(chunk_id, tool=tool, model=model, kind="agent")
            lines.update(dict.fromkeys(numbers, template))
        assessment = assess_lines(rel, data, lines, policy)
        if assessment.cut:
            if incomplete is not None:
                incomplete.append(cut_short(rel, assessment.cut))
        elif state_dir is not None:
            judged = {
                n: chunk_line(c.id, c.tool, c.model, c.kind, c.status, c.suppressed)
                for n, c in lines.items()
            }
            key = conclusion_key(rules_key(top, settings), rel, data, judged, signature(top, rel))
            conclusion = [a.conclusion() for a in assessment.items]
            remember(state_dir, key, {"rules_version": ruleset.version, "items": conclusion})
        for item in assessment.items:
            f, span = item.finding, item.chunk
            first = data.count(b"\n", 0, f.start) + 1
            last = data.count(b"\n", 0, max(f.start, f.end - 1)) + 1
            chunk_lines = None
            if span is not None:
                chunk_lines = (
                    data.count(b"\n", 0, span.start) + 1,
                    data.count(b"\n", 0, max(span.start, span.end - 1)) + 1,
                )
            out.append(
                RecordedFinding(
                    item.rule.id,
                    item.severity,
                    rel,
                    span.id if span is not None else None,
                    (first, last),
                    f.detail,
                    item.handling,
                    item.reason,
                    tuple(item.rule.cwe),
                    chunk_lines,
                    hash_text(data[f.start : f.end]),
                    item.about_marker,
                    item.rule.pack,
                    item.marker.kind if item.marker is not None else None,
                )
            )
    rules = policy.agent_risk_rules
    first_chunk = {rel: recorded[0][0] for rel, recorded in written.items() if recorded}
    for v in evaluate_checkpoint(files, policy.agent_risk):
        rule = rules.get(v.check)
        if rule is None:
            continue
        anchor = files[0] if files else None
        out.append(
            RecordedFinding(
                rule.id,
                policy.severity(rule),
                anchor,
                first_chunk.get(anchor or ""),
                None,
                v.detail,
                cwe=tuple(rule.cwe),
                match_hash=hash_text(v.detail),
                pack=rule.pack,
            )
        )
    return out


def _allowed(texts: Sequence[str] | None) -> set[str] | None:
    if texts is None:
        return None
    return {h for t in texts for h in (line_hash(x) for x in t.splitlines()) if h}


def _removed_keys(old: bytes, edits: Sequence[Edit]) -> set[bytes]:
    """Lines an edit removed (a reformat removes nothing), by their whitespace-free text."""
    keys = set()
    for e in edits:
        if e.reformat or e.end <= e.start:
            continue
        for line in old[e.start : e.end].splitlines():
            key = line_key(line)
            if key is not None:
                keys.add(key)
    return keys


def _new_regions(
    data: bytes, edits: Sequence[Edit], texts: Sequence[str] | None, moved: set[bytes]
) -> list[tuple[int, int, list[int], list[str], bytes]]:
    """(first line, last line, AI line numbers, AI line hashes, AI text) per edit that
    brought new text:
    lines a reformat touched, lines that moved and lines without text are left out."""
    allowed = _allowed(texts)
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    lines = data.splitlines()
    regions = []
    shift = 0
    for e in edits:
        at = e.start + shift
        shift += len(e.text) - (e.end - e.start)
        if e.reformat or not e.text.strip():
            continue
        first = bisect_right(starts, at) - 1
        last = bisect_right(starts, at + len(e.text) - 1) - 1
        picked: list[tuple[int, str]] = []
        for n in range(first, min(last + 1, len(lines))):
            line = lines[n]
            h = line_hash(line)
            key = line_key(line)
            if h is None or (allowed is not None and h not in allowed):
                continue
            if key is not None and key in moved:
                continue  # moved here from elsewhere: keeps what it was
            picked.append((n + 1, h))
        if picked:
            text = b"\n".join(lines[n - 1] for n, _ in picked)
            numbers = [n for n, _ in picked]
            regions.append((numbers[0], numbers[-1], numbers, [h for _, h in picked], text))
    return regions


def _changed_regions(
    old: Sequence[str], data: bytes, texts: Sequence[str] | None
) -> list[tuple[int, int, list[int], list[str], bytes]]:
    """(first line, last line, AI line numbers, AI line hashes, AI text) per changed
    region of ``data``, against line hashes alone (a snapshot whose text git no
    longer has)."""
    lines = data.split(b"\n")
    new = raw_line_hashes(data)
    allowed = _allowed(texts)
    regions = []
    matcher = SequenceMatcher(None, list(old), new, autojunk=False)
    for tag, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if tag not in ("replace", "insert"):
            continue
        picked: list[tuple[int, str]] = []
        for j in range(j1, j2):
            h = line_hash(lines[j])
            if h is None or (allowed is not None and h not in allowed):
                continue
            picked.append((j + 1, h))
        if picked:
            text = b"\n".join(lines[n - 1] for n, _ in picked)
            numbers = [n for n, _ in picked]
            regions.append((numbers[0], numbers[-1], numbers, [h for _, h in picked], text))
    return regions
