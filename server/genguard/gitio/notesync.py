"""Sharing ``refs/notes/genguard`` with a remote without ever losing a note.

git does not push or fetch notes by default. Fetching goes into a remote-tracking
ref (``refs/notes/remotes/<remote>/genguard``) and is then merged into the local
notes with ``git notes merge -s cat_sort_uniq``: notes only one side has are
taken as they are, and where both sides noted the same commit differently both
notes are kept (genguard writes a note as one JSON line, and reading merges the
lines back into one note). When git fast-forwards instead (the remote's notes
history contains ours and changes our notes), every line of a local note the
remote replaced or removed is put back beside the remote's. A push that the remote
refuses because it has notes we lack fetches and merges them first, then pushes
again.
"""

from __future__ import annotations

from dataclasses import dataclass

from genguard.gitio.notes import noted_commits
from genguard.gitio.run import (
    Git,
    GitError,
    config_add,
    config_get_all,
    config_remove,
    ref_exists,
    remotes,
)
from genguard.notes.format import NOTES_REF

NETWORK_TIMEOUT = 120.0


#: The remote ``genguard install-hooks`` configures to share notes with.
REMOTE = "origin"
PUSH_REFSPEC = f"{NOTES_REF}:{NOTES_REF}"
#: Set when ``HEAD`` was added to the push refspecs, so that it is removed again.
PUSH_HEAD_FLAG = "genguard.pushHeadAdded"


def tracking_ref(remote: str) -> str:
    return f"refs/notes/remotes/{remote}/genguard"


def fetch_refspec(remote: str) -> str:
    """Fetch into the remote-tracking ref: a fetch never writes the local notes."""
    return f"+{NOTES_REF}:{tracking_ref(remote)}"


def share_notes(git: Git) -> list[str]:
    """Make plain ``git fetch``/``git push`` carry the notes on :data:`REMOTE`; what was
    added, for the report. The push is never forced. When the remote had no push
    refspec, ``HEAD`` is added too so a plain ``git push`` still pushes the branch."""
    done: list[str] = []
    if REMOTE not in remotes(git):
        return done
    if config_add(git, f"remote.{REMOTE}.fetch", fetch_refspec(REMOTE)):
        done.append(f"remote.{REMOTE}.fetch += {fetch_refspec(REMOTE)}")
    pushes = config_get_all(git, f"remote.{REMOTE}.push")
    if PUSH_REFSPEC not in pushes:
        if not pushes:
            config_add(git, f"remote.{REMOTE}.push", "HEAD")
            git.run("config", "--local", PUSH_HEAD_FLAG, "true")
            done.append(f"remote.{REMOTE}.push += HEAD (so `git push` still pushes the branch)")
        config_add(git, f"remote.{REMOTE}.push", PUSH_REFSPEC)
        done.append(f"remote.{REMOTE}.push += {PUSH_REFSPEC}")
    return done


def unshare_notes(git: Git) -> list[str]:
    """Remove exactly what :func:`share_notes` added, on every remote."""
    done: list[str] = []
    for remote in remotes(git):
        if config_remove(git, f"remote.{remote}.fetch", fetch_refspec(remote)):
            done.append(f"remote.{remote}.fetch -= {fetch_refspec(remote)}")
        if config_remove(git, f"remote.{remote}.push", PUSH_REFSPEC):
            done.append(f"remote.{remote}.push -= {PUSH_REFSPEC}")
    if config_get_all(git, PUSH_HEAD_FLAG) == ["true"]:
        if config_get_all(git, f"remote.{REMOTE}.push") == ["HEAD"]:
            config_remove(git, f"remote.{REMOTE}.push", "HEAD")
            done.append(f"remote.{REMOTE}.push -= HEAD")
        git.run("config", "--local", "--unset", PUSH_HEAD_FLAG, check=False)
    return done


@dataclass(slots=True)
class SyncResult:
    remote: str
    action: str  # "fetch" | "push"
    message: str
    new_notes: int = 0
    pushed: bool = False


def _network(git: Git) -> Git:
    return Git(git.cwd, timeout=max(git.timeout, NETWORK_TIMEOUT), env=git.env)


def fetch_notes(git: Git, remote: str = "origin") -> SyncResult:
    """Fetch the remote's genguard notes and merge them into the local ones."""
    net = _network(git)
    local = noted_commits(git.cwd)
    before = len(local)
    proc = net.run("fetch", "--quiet", remote, f"+{NOTES_REF}:{tracking_ref(remote)}", check=False)
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        if "couldn't find remote ref" in detail:
            return SyncResult(remote, "fetch", f"{remote} has no genguard notes yet")
        raise GitError(f"git fetch {remote} failed: {detail}")
    merge = git.run(
        "notes",
        "--ref",
        NOTES_REF,
        "merge",
        "--quiet",
        "-s",
        "cat_sort_uniq",
        tracking_ref(remote),
        check=False,
    )
    if merge.returncode != 0:
        detail = merge.stderr.decode("utf-8", "replace").strip()
        raise GitError(
            f"merging {remote}'s notes failed: {detail} "
            f"(they are kept in {tracking_ref(remote)}; nothing was lost)"
        )
    after = noted_commits(git.cwd)
    kept = _keep_local(git, local, after)
    gained = len(after) - before
    message = f"merged {remote}'s genguard notes ({gained} new)"
    if kept:
        message += (
            f"; kept our own note beside {remote}'s on {kept} commit(s) where {remote}'s"
            " replaced or removed it"
        )
    return SyncResult(remote, "fetch", message, new_notes=gained)


def _keep_local(git: Git, local: dict[str, str], after: dict[str, str]) -> int:
    """Put back every line of a local note that the merge dropped; how many notes.

    ``git notes merge`` fast-forwards when the remote's notes history contains
    ours, so a remote that rewrote (or deleted) the note on one of our commits
    would replace it silently, and with it a finding left open or a review we
    never gave. A note is one JSON line, so keeping each of our lines beside the
    remote's (the ``cat_sort_uniq`` result) keeps our note whole, and readers
    merge the two (``gitio.notemerge``), an open finding staying open.
    """
    kept = 0
    for commit, blob in local.items():
        if after.get(commit) == blob:
            continue
        ours = _blob_lines(git, blob)
        theirs = _blob_lines(git, after[commit]) if commit in after else []
        missing = [line for line in ours if line not in theirs]
        if not missing:
            continue
        text = "".join(f"{line}\n" for line in sorted({*theirs, *ours}))
        git.run("notes", "--ref", NOTES_REF, "add", "-f", "-F", "-", commit, input=text.encode())
        kept += 1
    return kept


def _blob_lines(git: Git, blob: str) -> list[str]:
    text = git.run("cat-file", "blob", blob).stdout.decode("utf-8", "surrogateescape")
    return [line for line in text.splitlines() if line.strip()]


def push_notes(git: Git, remote: str = "origin") -> SyncResult:
    """Push the local genguard notes; merge the remote's first if it has others."""
    if not ref_exists(git, NOTES_REF):
        return SyncResult(remote, "push", "no genguard notes to push yet")
    net = _network(git)
    refspec = f"{NOTES_REF}:{NOTES_REF}"
    proc = net.run("push", "--quiet", remote, refspec, check=False)
    merged = ""
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace")
        if "rejected" not in detail and "fetch first" not in detail:
            raise GitError(f"git push {remote} {refspec} failed: {detail.strip()}")
        fetched = fetch_notes(git, remote)
        merged = f" after merging theirs ({fetched.new_notes} new here)"
        proc = net.run("push", "--quiet", remote, refspec, check=False)
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip()
            raise GitError(f"git push {remote} {refspec} failed again: {detail}")
    return SyncResult(remote, "push", f"pushed genguard notes to {remote}{merged}", pushed=True)
