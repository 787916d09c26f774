"""The ledger's index: chunk state as of a checkpoint, so no reader replays it whole.

Commit hooks need the live AI chunks of each file and the suppressions recorded
in the editor. Folding every record of a large ledger for that costs seconds at
200k records, so two small files are kept beside the ledger, written under its
lock by :meth:`genguard.ledger.Ledger.append`:

- ``ledger.index.json``: a header line (``seq``, ``hash`` and byte ``offset`` of the
  last record folded in) and one line with the folded state. A reader checks
  that the ledger still holds that record at that offset, then folds only the
  records after it (at most :data:`STRIDE` or so): the cost does not grow with
  the ledger. A checkpoint that does not match (ledger replaced, truncated by
  recovery) is ignored and rebuilt.
- ``live-files``: the paths of the files that have live AI chunks, one per line,
  rewritten whenever that set changes. The hook shims compare the staged paths
  with it in ``sh`` and start Python only on a match.

Both hold paths, line ranges and hashes only, like the ledger itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from genguard.attribution.state import ChunkState, apply, live_by_file
from genguard.fileio import write_private
from genguard.ledger.records import parse_line
from genguard.values import Value

INDEX_FILENAME = "ledger.index.json"
LIVE_FILENAME = "live-files"
#: A checkpoint is rewritten once this many records follow it.
STRIDE = 256
VERSION = 1
#: Events that can change chunk state (and so the live files).
_FOLDED = ("chunk.", "finding.")
#: A path the shims cannot compare line by line (git quotes it) is listed as
#: this line instead, which makes them start Python for every commit that stages a file.
ANY_PATH = "*"


def index_path(ledger: Path) -> Path:
    return ledger.with_name(INDEX_FILENAME)


def live_path(ledger: Path) -> Path:
    return ledger.with_name(LIVE_FILENAME)


def folds(event: str) -> bool:
    """Whether a record of ``event`` changes what the index holds."""
    return event.startswith(_FOLDED)


class LedgerState(Value):
    """Live chunk state folded from the records up to and including ``seq``.

    Ended chunks are kept as ids only (read from the checkpoint when a record
    names one), so the index grows with the code that is AI now, not with
    history. A chunk restored after it ended starts afresh from the restore's
    record, which carries its lines, hashes, tool and review status. (A plain value
    class: see :mod:`genguard.values`.)
    """

    __slots__ = (  # noqa: RUF023  (the fields, in order)
        "chunks", "suppressions", "seq", "hash", "offset", "replayed", "ended_raw", "_ended"
    )  # fmt: skip

    def __init__(
        self,
        chunks: dict[str, ChunkState] | None = None,
        suppressions: dict[str, dict[str, tuple[str, str | None]]] | None = None,
        seq: int = -1,
        hash: str | None = None,
        offset: int = 0,
        replayed: int = 0,
        ended_raw: bytes = b"[]",
        _ended: set[str] | None = None,
    ) -> None:
        self.chunks: dict[str, ChunkState] = {} if chunks is None else chunks
        #: chunk -> rule -> (reason, by), from ``finding.suppressed``
        self.suppressions: dict[str, dict[str, tuple[str, str | None]]] = (
            {} if suppressions is None else suppressions
        )
        self.seq, self.hash = seq, hash
        self.offset = offset  # just past the last record folded in
        self.replayed = replayed  # records folded by the read that produced this state
        self.ended_raw = ended_raw  # the checkpoint's ended ids, parsed when first needed
        self._ended = _ended

    @property
    def ended(self) -> set[str]:
        if self._ended is None:
            self._ended = set(json.loads(self.ended_raw))
        return self._ended

    def fold(self, record: Mapping[str, Any], end: int) -> None:
        """Fold one record in; a malformed one (``genguard verify`` reports it) is
        passed over, as far as chunk state goes."""
        with suppress(ValueError, TypeError, AttributeError):
            self._fold(record)
        seq = record.get("seq")
        self.seq = seq if isinstance(seq, int) else self.seq
        self.hash = record.get("hash") if isinstance(record.get("hash"), str) else self.hash
        self.offset = end
        self.replayed += 1

    def _fold(self, record: Mapping[str, Any]) -> None:
        data = record.get("data") or {}
        event = str(record.get("event", ""))
        cid = data.get("chunk")
        if (
            not isinstance(cid, str)
            or cid in self.chunks
            or event == "chunk.created"  # a new id: no need to look at the ended ones
            or not event.startswith("chunk.")
            or cid not in self.ended
        ):
            apply(self.chunks, record)
        elif event == "chunk.restored":
            self.ended.discard(cid)
            apply(self.chunks, record)
            for rule, (reason, _by) in self.suppressions.get(cid, {}).items():
                self.chunks[cid].suppressed[rule] = reason
        state = self.chunks.get(cid) if isinstance(cid, str) else None
        if state is not None and state.ended:
            del self.chunks[cid]
            self.ended.add(cid)
        if event == "finding.suppressed":
            chunk, rule = data.get("chunk"), data.get("rule")
            if isinstance(chunk, str) and isinstance(rule, str):
                by = data.get("by")
                self.suppressions.setdefault(chunk, {})[rule] = (
                    str(data.get("reason", "")),
                    by if isinstance(by, str) else None,
                )

    def live(self) -> dict[str, list[ChunkState]]:
        return live_by_file(self.chunks)

    def live_files(self) -> list[str]:
        return sorted(self.live())


def _chunk_from(data: Mapping[str, Any]) -> ChunkState:
    fields = dict(data)
    fields["lines"] = tuple(fields.get("lines") or (0, 0))
    return ChunkState(**fields)


def _records_from(fd: int, offset: int) -> Iterator[tuple[dict[str, Any], int]]:
    """(record, offset just past it) for each complete record after ``offset``."""
    with os.fdopen(os.dup(fd), "rb") as f:
        f.seek(offset)
        pos = offset
        for line in f:
            pos += len(line)
            if not line.endswith(b"\n"):
                return  # a torn tail: the next append sets it aside
            record = parse_line(line)
            if record is not None:
                yield record, pos


def _line_before(fd: int, offset: int) -> dict[str, Any] | None:
    """The record whose line ends exactly at ``offset``."""
    start = max(0, offset - 64 * 1024)
    while True:
        os.lseek(fd, start, os.SEEK_SET)
        data = os.read(fd, offset - start)
        cut = data.rfind(b"\n", 0, len(data) - 1)
        if cut >= 0 or start == 0:
            return parse_line(data[cut + 1 :]) if data.endswith(b"\n") else None
        start = max(0, start - 1024 * 1024)


def read_header(ledger: Path) -> dict[str, Any] | None:
    """The checkpoint's header (first line only), or None."""
    try:
        with open(index_path(ledger), "rb") as f:
            header = json.loads(f.readline())
    except (OSError, ValueError):
        return None
    return header if isinstance(header, dict) and header.get("v") == VERSION else None


def _checkpoint(fd: int, ledger: Path) -> LedgerState | None:
    """The stored checkpoint, if the ledger still holds its last record where it says."""
    try:
        with open(index_path(ledger), "rb") as f:
            header = json.loads(f.readline())
            if not isinstance(header, dict) or header.get("v") != VERSION:
                return None
            offset, digest = header.get("offset"), header.get("hash")
            if not isinstance(offset, int) or offset <= 0 or offset > os.fstat(fd).st_size:
                return None
            last = _line_before(fd, offset)
            if last is None or last.get("hash") != digest or last.get("seq") != header.get("seq"):
                return None
            body = json.loads(f.readline())
            ended = f.readline()
        chunks = {k: _chunk_from(v) for k, v in body["chunks"].items()}
        suppressions = {
            c: {r: (str(v[0]), v[1]) for r, v in rules.items()}
            for c, rules in body["suppressions"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    if not ended.startswith(b"["):
        return None
    return LedgerState(chunks, suppressions, header["seq"], digest, offset, ended_raw=ended)


def load(fd: int, ledger: Path) -> LedgerState:
    """The state as of the end of the ledger open at ``fd``: checkpoint, then the rest."""
    state = _checkpoint(fd, ledger) or LedgerState()
    for record, end in _records_from(fd, state.offset):
        state.fold(record, end)
    return state


def write_checkpoint(ledger: Path, state: LedgerState) -> None:
    """Store ``state`` as the checkpoint (lock held; replaced atomically)."""
    header = {"v": VERSION, "seq": state.seq, "hash": state.hash, "offset": state.offset}
    body = {
        "chunks": {k: v.to_dict() for k, v in state.chunks.items()},
        "suppressions": {
            c: {r: list(v) for r, v in s.items()} for c, s in state.suppressions.items()
        },
    }
    # chunks in the order they first appeared, as a replay would list them
    ended = (
        state.ended_raw.decode().strip()
        if state._ended is None
        else json.dumps(sorted(state.ended))
    )
    text = json.dumps(header, sort_keys=True) + "\n" + json.dumps(body) + "\n" + ended + "\n"
    write_private(index_path(ledger), text)


def _plain(path: str) -> bool:
    """A path git prints as it is (no C quoting) under ``core.quotePath=false``."""
    return not any(c in '"\\' or ord(c) < 0x20 or ord(c) == 0x7F for c in path)


def live_text(files: list[str]) -> str:
    return "".join(f + "\n" if _plain(f) else ANY_PATH + "\n" for f in files)


def write_live(ledger: Path, files: list[str]) -> None:
    """Rewrite ``live-files`` when its content changes (lock held)."""
    text = live_text(files)
    path = live_path(ledger)
    try:
        if path.read_text(encoding="utf-8", errors="surrogateescape") == text:
            return
    except OSError:
        pass
    write_private(path, text)
