"""The append-only, hash-chained ledger file and its locking.

Several processes (editor windows, the CLI) append to the same file. Each append
takes an exclusive lock on a sidecar ``.lock`` file, checks the tail, and writes
the whole line with one ``os.write`` on an ``O_APPEND`` descriptor, so lines never
interleave and ``seq``/``prev`` stay consistent. The tail position is cached, so
an append only reads the file when another process changed it.

A crash can leave a torn last line. The next append (or :meth:`Ledger.recover`)
moves those bytes to ``<ledger>.torn``, truncates back to the last complete line
and records a ``ledger.recovered`` event; earlier records are never touched.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genguard.digest import sha256
from genguard.fileio import private_dir
from genguard.gitio import git_common_dir, user_email
from genguard.ledger import index
from genguard.ledger.records import (
    LEDGER_RECOVERED,
    check_event,
    encode_line,
    hash_text,
    make_record,
    normalize_data,
    parse_line,
    utc_now,
)

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def _warn(message: str, *args: object) -> None:
    """Log a warning; ``logging`` is imported only then (hooks start faster without it)."""
    import logging

    logging.getLogger(__name__).warning(message, *args)


LEDGER_DIRNAME = "genguard"
LEDGER_FILENAME = "ledger.jsonl"
UNKNOWN_ACTOR = "unknown"

_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BLOCK = 64 * 1024


class LedgerError(ValueError):
    """The ledger cannot be appended to safely (damaged beyond a torn last line)."""


def ledger_path(root: Path | str) -> Path:
    """Where the ledger of the workspace at ``root`` lives.

    Inside git it sits in the common git dir, so nothing lands in the working tree
    and all worktrees share one chain; elsewhere it goes to the user data dir,
    keyed by the workspace's absolute path.
    """
    common = git_common_dir(root)
    if common is not None:
        return common / LEDGER_DIRNAME / LEDGER_FILENAME
    from platformdirs import user_data_dir

    key = sha256(str(Path(root).resolve()).encode("utf-8")).hexdigest()[:16]
    return Path(user_data_dir("genguard", appauthor=False)) / "ledgers" / key / LEDGER_FILENAME


def torn_path(path: Path) -> Path:
    """Where torn tails of ``path`` are set aside."""
    return path.with_name(path.name + ".torn")


def lock_path(path: Path) -> Path:
    """Sidecar lock file of ``path`` (``ledger.jsonl`` -> ``ledger.lock``)."""
    return path.with_suffix(".lock")


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """Hold an exclusive inter-process lock on ``lock`` (created if missing)."""
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | _O_BINARY | _O_NOFOLLOW, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield  # closing the descriptor releases the lock
        else:
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                    break
                except OSError:  # LK_LOCK gives up after ~10 s; keep waiting
                    continue
            try:
                yield
            finally:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)


def _read_at(fd: int, offset: int, n: int) -> bytes:
    """Read exactly ``n`` bytes at ``offset`` (fewer only at end of file)."""
    os.lseek(fd, offset, os.SEEK_SET)
    parts: list[bytes] = []
    while n > 0:
        chunk = os.read(fd, n)
        if not chunk:
            break
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _lines_backwards(fd: int, end: int) -> Iterator[tuple[int, bytes]]:
    """Yield ``(offset, line)`` from the end of the file backwards, reading blocks.

    ``line`` keeps its newline if it has one; only the bytes needed are read.
    """
    pos = end  # file offset of buf[0]
    buf = b""
    line_end = end
    while line_end > 0:
        # The newline ending the previous line is the last b"\n" before line_end - 1.
        idx = buf.rfind(b"\n", 0, max(line_end - 1 - pos, 0))
        while idx < 0 and pos > 0:
            new_pos = max(0, pos - _BLOCK)
            buf = _read_at(fd, new_pos, pos - new_pos) + buf
            pos = new_pos
            idx = buf.rfind(b"\n", 0, max(line_end - 1 - pos, 0))
        start = pos + idx + 1 if idx >= 0 else 0
        yield start, buf[start - pos : line_end - pos]
        buf = buf[: start - pos]
        line_end = start


@dataclass(frozen=True)
class _Tail:
    """What an append needs to know about the end of the file."""

    good_end: int  # offset just past the last complete record
    seq: int  # seq of the last record, -1 if none
    hash: str | None  # hash of the last record
    torn: bytes  # bytes after good_end that do not form a record
    missing_newline: bool  # the last record is complete but lacks its newline


def _scan_tail(fd: int, size: int, path: Path) -> _Tail:
    """Find the last record; a single unparsable last line counts as a torn tail."""
    torn_start: int | None = None
    for lineno_from_end, (start, line) in enumerate(_lines_backwards(fd, size)):
        record = parse_line(line)
        if record is None:
            if lineno_from_end == 0:
                torn_start = start
                continue
            raise LedgerError(
                f"{path}: the line at byte {start} before the last line is not a record; "
                "run 'genguard verify' and repair the ledger before appending"
            )
        seq, digest = record.get("seq"), record.get("hash")
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(digest, str):
            raise LedgerError(
                f"{path}: the last record (byte {start}) has no valid seq/hash; "
                "run 'genguard verify' and repair the ledger before appending"
            )
        good_end = start + len(line)
        missing = torn_start is None and not line.endswith(b"\n")
        torn = b"" if torn_start is None else _read_at(fd, torn_start, size - torn_start)
        return _Tail(good_end, seq, digest, torn, missing)
    torn = b"" if torn_start is None else _read_at(fd, torn_start, size - torn_start)
    return _Tail(0, -1, None, torn, False)


def _write_all(fd: int, data: bytes) -> None:
    """One ``os.write`` of the whole line; continue only if the OS wrote less."""
    written = os.write(fd, data)
    while written < len(data):
        written += os.write(fd, data[written:])


class Ledger:
    """Append-only provenance records for one workspace, shared by every process.

    Appends are safe across threads and processes. The object caches where the
    file ended after its last write; while the file is unchanged an append costs
    a lock, an ``fstat`` and one write.
    """

    def __init__(self, path: Path | str, actor: str | None = None) -> None:
        self._path = Path(path)
        self._actor = actor or UNKNOWN_ACTOR
        self._mutex = threading.Lock()
        # (st_dev, st_ino, st_size, st_mtime_ns) -> last seq and hash at that state
        self._cache: tuple[tuple[int, int, int, int], int, str | None] | None = None
        self._last_recovery: dict[str, Any] | None = None
        # chunk state folded up to the last record this object wrote (see .index)
        self._state: index.LedgerState | None = None

    @classmethod
    def for_workspace(cls, root: Path | str) -> Ledger:
        """The ledger of the workspace at ``root``, acting as its git ``user.email``."""
        return cls(ledger_path(root), actor=user_email(root))

    @property
    def path(self) -> Path:
        return self._path

    @property
    def actor(self) -> str:
        return self._actor

    @property
    def last_recovery(self) -> dict[str, Any] | None:
        """The ``ledger.recovered`` record this object wrote most recently, if any."""
        return self._last_recovery

    # -- writing --------------------------------------------------------------

    def append(
        self, event: str, data: Mapping[str, Any], *, actor: str | None = None
    ) -> dict[str, Any]:
        """Write one record and return it exactly as stored.

        Raises ValueError if ``data`` holds raw ``text``/``code``/``prompt``/
        ``secret``/``content`` keys (hash them with :func:`hash_text` first) or is
        not JSON-serializable, and :class:`LedgerError` if the file is damaged
        before its last line.
        """
        check_event(event)
        body = normalize_data(data)
        who = actor or self._actor
        with self._locked() as fd:
            seq, prev = self._tail(fd)
            before = os.fstat(fd).st_size
            record = make_record(seq=seq + 1, actor=who, event=event, data=body, prev=prev)
            self._write(fd, record)
            self._index(fd, record, prev, before)
        return record

    def _index(self, fd: int, record: dict[str, Any], prev: str | None, before: int) -> None:
        """Keep the index (:mod:`.index`) in step with the record just written; lock held.

        Only records that change chunk state, a missing ``live-files`` and every
        :data:`~.index.STRIDE`-th record cost more than reading the checkpoint's
        header. A failure here loses no record: readers fold what the index lacks.
        """
        try:
            end = os.fstat(fd).st_size
            header = index.read_header(self._path)
            since = record["seq"] - (header["seq"] if header else -1)
            state = self._state
            current = state is not None and state.hash == prev and state.offset == before
            due = since >= index.STRIDE or not index.live_path(self._path).exists()
            if not due and not index.folds(record["event"]):
                if current:
                    state.fold(record, end)  # type: ignore[union-attr]
                return
            if current:
                state.fold(record, end)  # type: ignore[union-attr]
            else:
                state = index.load(fd, self._path)  # the checkpoint and what follows it
            self._state = state
            index.write_live(self._path, state.live_files())  # type: ignore[union-attr]
            if due:
                index.write_checkpoint(self._path, state)  # type: ignore[arg-type]
        except (OSError, ValueError, TypeError, KeyError) as exc:  # the record is written
            self._state = None
            _warn("genguard ledger %s: could not update its index: %s", self._path, exc)

    def state(self) -> index.LedgerState:
        """Chunk state and suppressions as of the last record, from the index.

        Folds only the records after the checkpoint; when those are many (an old
        ledger, or one written by an older genguard) the checkpoint is rebuilt.
        """
        try:
            fd = os.open(self._path, os.O_RDONLY | _O_BINARY)
        except FileNotFoundError:
            return index.LedgerState()
        try:
            state = index.load(fd, self._path)
        finally:
            os.close(fd)
        if state.replayed >= index.STRIDE or not index.live_path(self._path).exists():
            try:
                with self._locked() as wfd:
                    state = index.load(wfd, self._path)
                    index.write_live(self._path, state.live_files())
                    index.write_checkpoint(self._path, state)
            except OSError as exc:  # read-only: the answer is right, only slower next time
                _warn("genguard ledger %s: could not write its index: %s", self._path, exc)
        return state

    def recover(self) -> dict[str, Any] | None:
        """Set aside a torn tail now; returns the ``ledger.recovered`` record or None."""
        if not self._path.exists():
            return None
        with self._locked() as fd:
            before = self._last_recovery
            self._cache = None
            self._tail(fd)
            after = self._last_recovery
        return after if after is not before else None

    @contextmanager
    def _locked(self) -> Iterator[int]:
        """Thread mutex + file lock, yielding an ``O_APPEND`` descriptor of the ledger."""
        with self._mutex:
            private_dir(self._path.parent)
            with _exclusive(lock_path(self._path)):
                flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | _O_BINARY | _O_NOFOLLOW
                fd = os.open(self._path, flags, 0o600)
                try:
                    yield fd
                finally:
                    os.close(fd)

    @staticmethod
    def _key(st: os.stat_result) -> tuple[int, int, int, int]:
        return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)

    def _tail(self, fd: int) -> tuple[int, str | None]:
        """Last (seq, hash), repairing a torn tail first; lock must be held."""
        st = os.fstat(fd)
        cache = self._cache
        if cache is not None and cache[0] == self._key(st):
            return cache[1], cache[2]
        tail = _scan_tail(fd, st.st_size, self._path)
        if tail.missing_newline:
            _write_all(fd, b"\n")
        if tail.torn:
            self._set_aside(fd, tail)
            record = make_record(
                seq=tail.seq + 1,
                actor=self._actor,
                event=LEDGER_RECOVERED,
                data={
                    "torn_bytes": len(tail.torn),
                    "torn_sha256": hash_text(tail.torn),
                    "set_aside_to": str(torn_path(self._path)),
                },
                prev=tail.hash,
            )
            self._write(fd, record)
            self._last_recovery = record
            _warn(
                "genguard ledger %s: set aside a torn tail of %d bytes to %s (seq %d)",
                self._path,
                len(tail.torn),
                torn_path(self._path),
                record["seq"],
            )
            return record["seq"], record["hash"]
        return tail.seq, tail.hash

    def _set_aside(self, fd: int, tail: _Tail) -> None:
        """Copy the torn bytes to the ``.torn`` file durably, then truncate them away."""
        header = (
            f"# genguard torn tail: time={utc_now()} bytes={len(tail.torn)} "
            f"sha256={sha256(tail.torn).hexdigest()} offset={tail.good_end}\n"
        ).encode()
        payload = header + tail.torn + (b"" if tail.torn.endswith(b"\n") else b"\n")
        tfd = os.open(
            torn_path(self._path),
            os.O_WRONLY | os.O_APPEND | os.O_CREAT | _O_BINARY | _O_NOFOLLOW,
            0o600,
        )
        try:
            _write_all(tfd, payload)
            os.fsync(tfd)
        finally:
            os.close(tfd)
        os.ftruncate(fd, tail.good_end)

    def _write(self, fd: int, record: Mapping[str, Any]) -> None:
        _write_all(fd, encode_line(record))
        self._cache = (self._key(os.fstat(fd)), record["seq"], record["hash"])

    # -- reading --------------------------------------------------------------

    def records(self) -> Iterator[dict[str, Any]]:
        """Stream the records in order without modifying the file.

        A torn last line is skipped with a warning; an unparsable line in the
        middle is skipped with a warning too (``genguard verify`` reports it as a
        break).
        """
        try:
            f = self._path.open("rb")
        except FileNotFoundError:
            return
        with f:
            pending: tuple[int, bytes] | None = None
            for lineno, line in enumerate(f, start=1):
                if pending is not None:
                    _warn(
                        "genguard ledger %s: line %d is not a record; skipped",
                        self._path,
                        pending[0],
                    )
                    pending = None
                record = parse_line(line)
                if record is None:
                    pending = (lineno, line)
                    continue
                yield record
            if pending is not None:
                _warn(
                    "genguard ledger %s: torn tail of %d bytes at line %d; "
                    "the next append sets it aside",
                    self._path,
                    len(pending[1]),
                    pending[0],
                )

    def head(self) -> str | None:
        """Hash of the last complete record (None for an empty or missing ledger)."""
        try:
            fd = os.open(self._path, os.O_RDONLY | _O_BINARY)
        except FileNotFoundError:
            return None
        try:
            with self._mutex:
                st = os.fstat(fd)
                cache = self._cache
                if cache is not None and cache[0] == self._key(st):
                    return cache[2]
            return _scan_tail(fd, st.st_size, self._path).hash
        finally:
            os.close(fd)

    def __repr__(self) -> str:
        return f"Ledger({str(self._path)!r}, actor={self._actor!r})"
