"""Find the note-carried decisions that apply to a scan's findings.

For each file with findings, ``git blame -M -C`` (as ``genguard blame`` does)
names the commit and the original line of every working-tree line; the notes
on those commits are read in one batch and :mod:`genguard.notes.decisions`
says which findings a person suppressed there. Nothing runs when the
repository has no genguard notes, and blame runs only for files with findings.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard.gitio.history import note_texts, run_git
from genguard.gitio.notemerge import split_objects
from genguard.gitio.run import GitError
from genguard.notes.decisions import Decision, Review, decide, review_of
from genguard.notes.format import NOTES_REF, Note, NoteError, parse_note
from genguard.report.blame import UNCOMMITTED, BlameLine, git_blame

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FindingKey:
    """What a note knows of a finding: its file, first line (0-based here) and rule."""

    path: str
    line: int
    rule: str


@dataclass(slots=True)
class Lookup:
    """Decisions found for a scan's findings, and the ones refused with why."""

    honoured: dict[FindingKey, Decision] = field(default_factory=dict)
    reviews: dict[tuple[str, int], Review] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class NoteDecisions:
    """The notes of one repository, read lazily, and the signature checks they need."""

    def __init__(self, root: Path, ref: str = NOTES_REF) -> None:
        self.root = root
        self.ref = ref
        self._objects: dict[str, list[tuple[Note, dict[str, Any]]]] = {}
        self._verifier: Any = None
        self._ledger: Any = None

    def _local_hashes(self, commit: str) -> set[str]:
        """Hashes of the notes this clone's hooks wrote for ``commit`` (from the ledger)."""
        if self._ledger is None:
            from genguard.ledger.store import ledger_path
            from genguard.report.audit import index_ledger

            self._ledger = index_ledger(ledger_path(self.root))
        return self._ledger.note_hashes.get(commit, set())

    def _trusted(self, note: Note, commit: str) -> bool:
        """Written by this clone, or signed by an allowed signer."""
        from genguard.report.audit import note_hash

        return note_hash(note) in self._local_hashes(commit) or self._verified(note, commit)

    def _has_notes(self) -> bool:
        proc = run_git(self.root, "rev-parse", "--verify", "--quiet", self.ref, check=False)
        return proc.returncode == 0

    def _read(self, commits: Iterable[str], warnings: list[str]) -> None:
        wanted = [c for c in dict.fromkeys(commits) if c not in self._objects]
        texts = note_texts(self.root, wanted, self.ref) if wanted else {}
        for commit in wanted:
            objects: list[tuple[Note, dict[str, Any]]] = []
            text = texts.get(commit)
            if text is not None:
                try:
                    for raw in split_objects(text):
                        objects.append((parse_note(json.dumps(raw)), raw))
                except NoteError as exc:
                    warnings.append(
                        f"note on {commit[:12]} is malformed ({exc}); "
                        "decisions in it are not honoured"
                    )
                    objects = []
            self._objects[commit] = objects

    def _verified(self, note: Note, commit: str) -> bool:
        """Whether ``note`` carries a good signature by an allowed signer."""
        from genguard.report.audit import allowed_signers_file, default_verifier, signed_payload

        sig = note.signature
        if not isinstance(sig, dict) or not isinstance(sig.get("sig"), str):
            return False
        signer = sig.get("signer")
        allowed = allowed_signers_file(self.root)
        if allowed is None or not isinstance(signer, str) or not signer:
            return False
        raw = next((r for n, r in self._objects.get(commit, []) if n is note), None)
        payload = signed_payload(raw) if raw is not None else note.payload()
        if self._verifier is None:
            self._verifier = default_verifier()
        try:
            ok, _reason = self._verifier(payload, sig["sig"], signer, allowed)
        except FileNotFoundError:
            return False
        return bool(ok)

    def _blame(self, rel: str) -> list[BlameLine]:
        if run_git(self.root, "cat-file", "-e", f"HEAD:{rel}", check=False).returncode != 0:
            return []  # not committed: no note can speak of it
        try:
            return git_blame(self.root, rel)
        except GitError as exc:
            log.warning("cannot blame %s: %s", rel, exc)
            return []

    def lookup(self, keys: Iterable[FindingKey]) -> Lookup:
        """The decisions the notes carry for ``keys`` (one blame per file)."""
        out = Lookup()
        by_file: dict[str, list[FindingKey]] = {}
        for key in keys:
            by_file.setdefault(key.path, []).append(key)
        if not by_file or not self._has_notes():
            return out
        for rel, file_keys in sorted(by_file.items()):
            blamed = self._blame(rel)
            if not blamed:
                continue
            self._read((b.commit for b in blamed if b.commit != UNCOMMITTED), out.warnings)
            for key in file_keys:
                if not 0 <= key.line < len(blamed):
                    continue
                b = blamed[key.line]
                if b.commit == UNCOMMITTED:
                    continue  # changed since the last commit: no decision holds
                # blame's original line may sit in another file (moved or copied code)
                origin = b.orig_path or rel
                commit = b.commit
                notes = [n for n, _raw in self._objects.get(commit, [])]
                verdict = decide(
                    notes,
                    commit,
                    origin,
                    b.orig_line,
                    key.rule,
                    trusted=lambda note, c=commit: self._trusted(note, c),
                    noted_here=any(f.handling == "suppressed" for n in notes for f in n.findings)
                    and bool(self._local_hashes(commit)),
                )
                if verdict.honoured is not None:
                    out.honoured[key] = verdict.honoured
                elif verdict.refused is not None:
                    out.warnings.append(
                        f"{rel}:{key.line + 1}: [{key.rule}] not suppressed: the note on "
                        f"{b.commit[:12]} that says "
                        f"{verdict.refused.describe().removeprefix('suppressed ')} is not "
                        f"honoured ({verdict.why})"
                    )
                review = review_of(notes, b.commit, origin, b.orig_line)
                if review is not None:
                    out.reviews[(rel, key.line)] = review
        return out
