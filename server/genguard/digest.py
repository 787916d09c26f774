"""SHA-256 without loading OpenSSL for small values.

A commit hook is a fresh interpreter, and ``import hashlib`` loads libcrypto
(about 3 ms) for what CPython also builds in. The built-in is about 6x slower on
large data (2 MiB: 6.9 ms against 1.2), so :func:`hexdigest` takes OpenSSL's past
:data:`LARGE`, the one place that choice is made; digests of whole rule sets use
``hashlib`` directly.
"""

from __future__ import annotations

try:
    from _sha2 import sha256  # CPython 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:  # another interpreter, or a build without them
        from hashlib import sha256

#: Bytes past which :func:`hexdigest` loads OpenSSL's SHA-256 (a committed file can be
#: megabytes; most are a few KiB, and a commit of small files never loads it).
LARGE = 256 * 1024


def hexdigest(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex, with the faster of the two for its size."""
    if len(data) > LARGE:
        import hashlib

        return hashlib.sha256(data).hexdigest()
    return sha256(data).hexdigest()


__all__ = ["LARGE", "hexdigest", "sha256"]
