"""Checking commit notes against the ledger and their signatures.

A note claims what the ledger recorded: ``ledger_head`` is the hash of the last
record when the commit was made, and every chunk id in its ranges and findings
was created in the ledger. A note edited after the fact (or invented) breaks
one of those links; a signed note edited in any way also fails its signature.
Imported notes (``method: "imported"``) came from another tool and carry no
ledger links, so only their signature (if any) is checked.

The ledger is local to one clone (it lives in the git directory); where it is
absent the ledger links cannot be checked and that is said plainly rather than
counted as a failure.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from genguard.gitio.history import GitError, git_text, note_texts, rev_list, run_git
from genguard.gitio.notemerge import note_hash, split_objects
from genguard.ledger.store import Ledger
from genguard.notes.format import NOTES_REF, Note, NoteError, canonical, parse_note
from genguard.report.interop import IMPORTED

#: ``verifier(payload, signature, signer, allowed_signers) -> (ok, reason)``; raises
#: FileNotFoundError when signatures cannot be checked on this machine at all
#: (no ssh-keygen), which is reported as "not checked" rather than as bad.
Verifier = Callable[[bytes, str, str, Path], tuple[bool, str]]

SIG_STATES = ("valid", "invalid", "unsigned", "unchecked")
_COMMIT_EVENTS = ("commit.noted", "commit.bypassed")


@dataclass(frozen=True, slots=True)
class Failure:
    """One thing that does not hold; ``commit`` or ``line`` names where."""

    kind: str  # ledger | note | ledger_head | chunk | signature
    reason: str
    commit: str | None = None
    line: int | None = None
    seq: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(slots=True)
class LedgerIndex:
    """What notes may refer to: every record hash and every chunk id in the ledger."""

    present: bool
    hashes: set[str] = field(default_factory=set)
    chunks: set[str] = field(default_factory=set)
    actors: set[str] = field(default_factory=set)
    commits: set[str] = field(default_factory=set)  # commits the hooks recorded noting
    note_hashes: dict[str, set[str]] = field(default_factory=dict)  # commit -> noted hashes
    sources: dict[str, list[str]] = field(default_factory=dict)  # carried/rewritten from

    me: str | None = None  # this clone's git user.email: who writes this ledger
    last_seq: int = -1  # seq of the ledger's last record
    seq_of: dict[str, int] = field(default_factory=dict)  # record hash -> seq
    # seq -> (commit, note hash or None) of each commit.noted / commit.bypassed record
    commit_records: dict[int, tuple[str, str | None]] = field(default_factory=dict)

    def recorded_here(self, commit: str, author: str | None) -> bool:
        """Whether a note was written from this ledger's clone (so its links must resolve).

        Notes fetched from teammates point into their own ledgers; a note counts
        as local when the ledger recorded its commit, or its author acts in this
        ledger, or it names no author, or its author is this clone's own user (a
        ledger replaced by a fresh one under another name must not turn our own
        notes into "foreign" ones).
        """
        return (
            commit in self.commits
            or author is None
            or author in self.actors
            or (self.me is not None and author == self.me)
        )


def index_ledger(path: Path, me: str | None = None) -> LedgerIndex:
    """What the ledger at ``path`` holds; ``me`` is this clone's user (see ``recorded_here``)."""
    if not path.is_file():
        return LedgerIndex(present=False, me=me)
    index = LedgerIndex(present=True, me=me)
    for rec in Ledger(path).records():
        h, actor, data = rec.get("hash"), rec.get("actor"), rec.get("data")
        if isinstance(h, str):
            index.hashes.add(h)
            if isinstance(rec.get("seq"), int):
                index.seq_of[h] = rec["seq"]
                index.last_seq = max(index.last_seq, rec["seq"])
        if isinstance(actor, str):
            index.actors.add(actor)
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("chunk"), str):
            index.chunks.add(data["chunk"])
        commit = data.get("commit")
        if rec.get("event") not in _COMMIT_EVENTS or not isinstance(commit, str):
            continue
        index.commits.add(commit)
        noted = data.get("note_hash") if isinstance(data.get("note_hash"), str) else None
        if noted is not None:
            index.note_hashes.setdefault(commit, set()).add(noted)
        if isinstance(rec.get("seq"), int):
            index.commit_records[rec["seq"]] = (commit, noted)
        for key in ("carried_from", "rewritten_from"):
            if isinstance(data.get(key), list):
                index.sources.setdefault(commit, []).extend(str(c) for c in data[key])
    return index


@dataclass(slots=True)
class NotesAudit:
    revrange: str
    commits: int = 0
    noted: int = 0
    signatures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SIG_STATES, 0))
    allowed_signers: str | None = None
    ledger_refs_unchecked: int = 0
    foreign_notes: int = 0
    last_anchored_seq: int | None = None  # highest ledger seq a note's ledger_head names
    unanchored_records: int = 0  # records after it (all of them when no note names one)
    pinned_records: int = 0  # of those, the hooks' commit.noted records of existing notes
    first_unvouched_seq: int | None = None
    unrecorded_notes: list[str] = field(default_factory=list)  # our notes no record pins
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def unnoted(self) -> int:
        return self.commits - self.noted

    @property
    def unvouched_records(self) -> int:
        """Records that neither a note's ``ledger_head`` nor an existing note's own
        ``commit.noted`` record vouches for: cutting them goes unnoticed."""
        return self.unanchored_records - self.pinned_records

    def to_dict(self) -> dict[str, Any]:
        return {
            "range": self.revrange,
            "commits": self.commits,
            "noted_commits": self.noted,
            "unnoted_commits": self.unnoted,
            "signatures": dict(self.signatures),
            "allowed_signers": self.allowed_signers,
            "ledger_refs_unchecked": self.ledger_refs_unchecked,
            "foreign_notes": self.foreign_notes,
            "last_anchored_seq": self.last_anchored_seq,
            "unanchored_records": self.unanchored_records,
            "pinned_records": self.pinned_records,
            "unvouched_records": self.unvouched_records,
            "unrecorded_notes": list(self.unrecorded_notes),
            "failures": [f.to_dict() for f in self.failures],
            "warnings": list(self.warnings),
        }


def _configured_allowed_signers(root: Path) -> Path | None:
    """``[signing] allowed_signers`` from the workspace's genguard configuration."""
    from genguard.config.loader import load_settings

    value = load_settings(root).settings.signing.allowed_signers
    if value is None or not value.strip():
        return None
    p = Path(value).expanduser()
    return p if p.is_absolute() else root / p


def allowed_signers_file(root: Path, explicit: Path | None = None) -> Path | None:
    """The allowed-signers file: ``explicit``, ``[signing] allowed_signers``, or git's
    ``gpg.ssh.allowedSignersFile`` (genguard's own setting is the more specific one)."""
    if explicit is not None:
        return explicit
    configured = _configured_allowed_signers(root)
    if configured is not None:
        return configured
    proc = run_git(root, "config", "--path", "gpg.ssh.allowedSignersFile", check=False)
    value = proc.stdout.decode("utf-8", "surrogateescape").strip()
    if proc.returncode == 0 and value:
        p = Path(value).expanduser()
        return p if p.is_absolute() else root / p
    return None


def default_verifier() -> Verifier:
    """``ssh-keygen -Y verify`` in the ``genguard`` namespace (:mod:`genguard.gitio.signing`)."""
    from genguard.gitio.signing import SigningError, verify

    def check(payload: bytes, signature: str, signer: str, allowed: Path) -> tuple[bool, str]:
        try:
            ok = verify(payload, signature, allowed, signer)
        except SigningError as exc:
            raise FileNotFoundError(f"signatures not checked: {exc}") from exc
        return ok, "" if ok else f"ssh-keygen -Y verify rejects it for {signer} in {allowed}"

    return check


SIGNATURE_TRUST = ("verified", "unverified", "unsigned")
"""How far a note's signature can be trusted, as blame, stats and evidence show it."""


def note_signature_state(text: str, allowed: Path | None, verifier: Verifier | None = None) -> str:
    """``verified`` when every note object in the blob carries a signature that verifies
    against ``allowed`` (the user's or organisation's allowed signers), ``unsigned`` when
    none is signed, else ``unverified``: a signer not in the file, a bad signature, no
    allowed-signers file to check with, or a blob mixing signed and unsigned notes."""
    try:
        objects = split_objects(text)
    except NoteError:
        return "unverified"
    if not objects or not all(isinstance(o, dict) for o in objects):
        return "unverified"
    sigs = [o.get("signature") for o in objects]
    if all(sig is None for sig in sigs):
        return "unsigned"
    if allowed is None or not all(isinstance(sig, dict) for sig in sigs):
        return "unverified"
    check = verifier or default_verifier()
    for obj, sig in zip(objects, sigs, strict=True):
        try:
            ok, _ = check(
                signed_payload(obj), str(sig.get("sig", "")), str(sig.get("signer", "")), allowed
            )
        except OSError:
            return "unverified"
        if not ok:
            return "unverified"
    return "verified"


def signed_payload(raw: dict[str, Any]) -> bytes:
    """What a note's signature covers: its canonical JSON without ``signature``."""
    return canonical({k: v for k, v in raw.items() if k != "signature"})


def _chunk_ids(obj: Any) -> set[str]:
    """Chunk ids of the ranges of one raw note object (whatever its shape)."""
    files = obj.get("files") if isinstance(obj, dict) else None
    out: set[str] = set()
    for entry in files.values() if isinstance(files, dict) else ():
        ranges = entry.get("ranges") if isinstance(entry, dict) else None
        for r in ranges if isinstance(ranges, list) else ():
            if isinstance(r, dict) and isinstance(r.get("chunk"), str):
                out.add(r["chunk"])
    return out


class _Auditor:
    def __init__(
        self,
        repo: Path,
        audit: NotesAudit,
        index: LedgerIndex,
        allowed: Path | None,
        require_signatures: bool,
        verifier: Verifier,
    ) -> None:
        self.repo = repo
        self.audit = audit
        self.index = index
        self._source_chunks: dict[str, set[str]] = {}
        self.allowed = allowed
        self.require = require_signatures
        self.verifier = verifier
        self.can_verify = True

    def fail(self, kind: str, commit: str, reason: str) -> None:
        self.audit.failures.append(Failure(kind, reason, commit=commit))

    def check(self, commit: str, text: str) -> None:
        """Check each note object in the blob (rewrites and merges can leave several)."""
        try:
            objects = split_objects(text)
            if not objects:
                raise NoteError("empty note")
            notes = [(raw, parse_note(json.dumps(raw))) for raw in objects]
        except NoteError as exc:
            self.fail("note", commit, f"malformed note: {exc}")
            return
        for raw, note in notes:
            if note.commit != commit:
                self.audit.warnings.append(
                    f"note on {commit[:10]} names commit {note.commit[:10]} "
                    "(copied by an amend or rebase?)"
                )
            self.check_ledger_links(commit, note)
            self.check_signature(commit, note, raw)

    def check_ledger_links(self, commit: str, note: Note) -> None:
        ranges = [r for f in note.files.values() for r in f.ranges]
        imported = bool(ranges) and all(r.method == IMPORTED for r in ranges)
        if not self.index.present:
            mine = self.index.me is not None and note.author == self.index.me
            if mine and note.ledger_head:
                self.fail(
                    "ledger_missing",
                    commit,
                    f"the note, written here by {note.author}, names ledger record "
                    f"{note.ledger_head[:19]}..., but there is no ledger: it was deleted "
                    "or moved",
                )
            elif note.ledger_head or not imported:
                self.audit.ledger_refs_unchecked += 1
            return
        seq = self.index.seq_of.get(note.ledger_head or "")
        if seq is not None and (
            self.audit.last_anchored_seq is None or seq > self.audit.last_anchored_seq
        ):
            self.audit.last_anchored_seq = seq
        local = commit in self.index.commits or self.index.recorded_here(note.commit, note.author)
        if not local:
            self.audit.foreign_notes += 1
            return
        # a note our hooks wrote from this ledger (it names a head; an imported one
        # does not) is pinned by a commit.noted record: its absence means a cut tail
        mine = self.index.me is not None and note.author == self.index.me
        hooked = note.ledger_head is not None and not imported
        recorded_commit = commit in self.index.commits or note.commit in self.index.commits
        if mine and hooked and not recorded_commit:
            self.audit.unrecorded_notes.append(commit)
        recorded = self.index.note_hashes.get(note.commit)
        if recorded and note_hash(note) not in recorded:
            self.fail(
                "note",
                commit,
                "the note differs from the one the commit hook recorded in the ledger "
                "(commit.noted)",
            )
        if note.ledger_head is not None and note.ledger_head not in self.index.hashes:
            self.fail(
                "ledger_head",
                commit,
                f"ledger_head {note.ledger_head} is not a record in the ledger",
            )
        if imported:
            return

        def known(chunk: str) -> bool:  # carried ranges (cherry-pick, squash, rebase) keep ids
            return chunk in self.index.chunks or chunk in self.source_chunks(note.commit)

        missing = [
            (path, r)
            for path, entry in note.files.items()
            for r in entry.ranges
            if r.method != IMPORTED and not known(r.chunk)
        ]
        if missing:
            path, r = missing[0]
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            self.fail(
                "chunk",
                commit,
                f"chunk {r.chunk} ({path}:{r.start}-{r.end}) is not in the ledger{more}",
            )
        bad = next((f for f in note.findings if f.chunk is not None and not known(f.chunk)), None)
        if bad is not None:
            self.fail(
                "chunk",
                commit,
                f"finding {bad.rule} at {bad.file}:{bad.line} names chunk {bad.chunk}, "
                "which is not in the ledger",
            )

    def source_chunks(self, commit: str) -> set[str]:
        """Chunk ids in the notes of the commits the hook carried ``commit``'s ranges from."""
        if commit in self._source_chunks:
            return self._source_chunks[commit]
        chunks: set[str] = set()
        seen: set[str] = {commit}
        todo = list(self.index.sources.get(commit, []))
        while todo:
            batch = [c for c in dict.fromkeys(todo) if c not in seen]
            todo = []
            seen.update(batch)
            for source, text in note_texts(self.repo, batch, NOTES_REF).items():
                try:
                    objects = split_objects(text)
                except NoteError:
                    continue
                for obj in objects:
                    chunks.update(_chunk_ids(obj))
                todo.extend(self.index.sources.get(source, []))
        self._source_chunks[commit] = chunks
        return chunks

    def check_signature(self, commit: str, note: Note, raw: dict[str, Any]) -> None:
        sigs = self.audit.signatures
        sig = note.signature
        if sig is None:
            sigs["unsigned"] += 1
            if self.require:
                self.fail("signature", commit, "the note is not signed")
            return
        if not isinstance(sig, dict):
            sigs["invalid"] += 1
            self.fail("signature", commit, "signature is not an object")
            return
        if self.allowed is None or not self.can_verify:
            sigs["unchecked"] += 1
            if self.require:
                why = "no allowed-signers file" if self.allowed is None else "ssh-keygen missing"
                self.fail("signature", commit, f"signature not checked ({why})")
            return
        signer, armored = sig.get("signer"), sig.get("sig")
        if sig.get("format", "ssh") != "ssh" or not isinstance(armored, str):
            sigs["invalid"] += 1
            self.fail("signature", commit, "signature block is not an ssh signature")
            return
        if not isinstance(signer, str) or not signer:
            sigs["invalid"] += 1
            self.fail("signature", commit, "signature names no signer")
            return
        try:
            payload = signed_payload(raw)
            ok, reason = self.verifier(payload, armored, signer, self.allowed)
            if not ok and note.payload() != payload:  # the note as genguard reads it
                ok, reason = self.verifier(note.payload(), armored, signer, self.allowed)
        except FileNotFoundError as exc:
            self.can_verify = False
            self.audit.warnings.append(str(exc))
            self.check_signature(commit, note, raw)
            return
        if ok:
            sigs["valid"] += 1
        else:
            sigs["invalid"] += 1
            self.fail("signature", commit, f"signature by {signer} does not verify: {reason}")


def _pinned(repo: Path, index: LedgerIndex, seqs: list[int]) -> set[int]:
    """Which of ``seqs`` are a commit hook's record of a note that exists and matches
    it: such a record is vouched for by the note (the hook writes it after the note,
    so no ``ledger_head`` can name it)."""
    wanted = {seq: index.commit_records[seq] for seq in seqs if seq in index.commit_records}
    if not wanted:
        return set()
    texts = note_texts(repo, list(dict.fromkeys(c for c, _ in wanted.values())), NOTES_REF)
    hashes: dict[str, set[str]] = {}
    for commit, text in texts.items():
        try:
            hashes[commit] = {note_hash(parse_note(json.dumps(o))) for o in split_objects(text)}
        except NoteError:
            continue
    return {
        seq
        for seq, (commit, noted) in wanted.items()
        if commit in texts and (noted is None or noted in hashes.get(commit, set()))
    }


def anchoring(repo: Path | None, index: LedgerIndex, audit: NotesAudit) -> None:
    """Count the ledger's records after the last anchored head, and which of them the
    notes still vouch for (see docs/provenance.md, "What the chain proves")."""
    if not index.present or index.last_seq < 0:
        return
    after = -1 if audit.last_anchored_seq is None else audit.last_anchored_seq
    tail = sorted(seq for seq in index.seq_of.values() if seq > after)
    audit.unanchored_records = len(tail)
    pinned = _pinned(repo, index, tail) if repo is not None else set()
    audit.pinned_records = len(pinned)
    audit.first_unvouched_seq = next((seq for seq in tail if seq not in pinned), None)


def strict_failures(audit: NotesAudit) -> list[Failure]:
    """What ``verify --strict`` adds: records no note vouches for, and our own notes
    whose ``commit.noted`` record the ledger no longer holds (a cut tail)."""
    out: list[Failure] = []
    for commit in audit.unrecorded_notes:
        out.append(
            Failure(
                "unanchored",
                "the note was written here but the ledger holds no commit.noted record "
                "of it: the ledger's tail may have been cut",
                commit=commit,
            )
        )
    if audit.unvouched_records:
        out.append(
            Failure(
                "unanchored",
                f"{audit.unvouched_records} ledger record(s) from this one on are vouched for "
                "by no commit note: commit the work they record, or verify without --strict",
                seq=audit.first_unvouched_seq,
            )
        )
    return out


def audit_notes(
    repo: Path,
    revrange: str | None,
    index: LedgerIndex,
    *,
    allowed_signers: Path | None = None,
    require_signatures: bool = False,
    verifier: Verifier | None = None,
) -> NotesAudit:
    """Check every note in ``revrange`` (default: all commits reachable from HEAD).

    Failures come oldest commit first, so the first one is where history first
    stops holding. Raises GitError for a range git does not understand.
    """
    audit = NotesAudit(revrange=revrange or "HEAD")
    audit.allowed_signers = None if allowed_signers is None else str(allowed_signers)
    commits = rev_list(repo, revrange)
    audit.commits = len(commits)
    texts = note_texts(repo, commits, NOTES_REF)
    audit.noted = len(texts)
    auditor = _Auditor(
        repo, audit, index, allowed_signers, require_signatures, verifier or default_verifier()
    )
    for commit in commits:
        text = texts.get(commit)
        if text is not None:
            auditor.check(commit, text)
    anchoring(repo, index, audit)
    return audit


def subjects(repo: Path, commits: list[str]) -> dict[str, str]:
    """First line of each commit message, to name failing commits readably."""
    if not commits:
        return {}
    try:
        out = git_text(repo, "log", "--no-walk=unsorted", "--format=%H %s", *commits, "--")
    except GitError:
        return {}
    pairs = (line.partition(" ") for line in out.splitlines())
    return {sha: subject for sha, _, subject in pairs}
