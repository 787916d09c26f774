"""Find a recorded chunk again in a file that is opened anew.

The ledger keeps, for every chunk, a hash per attributable line. When an editor
(re)opens a file, the chunk's lines are looked for as one run, in order; where
they stand intact, the chunk comes back with its id, tool, model and review
status, so provenance survives closing the file or restarting the editor.
A chunk whose lines were edited outside the editor is not guessed at.
"""

from __future__ import annotations

from genguard.attribution.linehash import line_hash


def _lines(data: bytes) -> list[tuple[int, int, str | None]]:
    """(start, end including the line break, hash) for each line of ``data``."""
    out = []
    start = 0
    for line in data.splitlines(keepends=True):
        end = start + len(line)
        out.append((start, end, line_hash(line)))
        start = end
    return out


def locate(data: bytes, hashes: list[str]) -> tuple[int, int] | None:
    """Byte span of the one run of lines whose attributable hashes equal ``hashes``.

    Trivial lines (blank, lone braces) inside the run are allowed, as they carry
    no hash. None when there is no such run or more than one (ambiguous).
    """
    if not hashes:
        return None
    lines = _lines(data)
    hashed = [(i, h) for i, (_, _, h) in enumerate(lines) if h is not None]
    sequence = [h for _, h in hashed]
    found: tuple[int, int] | None = None
    n = len(hashes)
    first = hashes[0]
    for k in range(len(sequence) - n + 1):
        if sequence[k] != first or sequence[k : k + n] != hashes:
            continue
        if found is not None:
            return None  # the same lines stand twice: do not guess
        first_line, last_line = hashed[k][0], hashed[k + n - 1][0]
        found = (lines[first_line][0], lines[last_line][1])
    return found
