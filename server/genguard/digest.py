"""SHA-256 of small values without loading OpenSSL.

A commit hook is a fresh interpreter, and ``import hashlib`` loads libcrypto
(milliseconds) for what CPython also builds in. The built-in is slower on large
data (about 6x), so digests of whole files or rule sets still use ``hashlib``.
"""

from __future__ import annotations

try:
    from _sha2 import sha256  # CPython 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # CPython 3.11
    except ImportError:  # another interpreter, or a build without them
        from hashlib import sha256

__all__ = ["sha256"]
