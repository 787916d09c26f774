"""Source that is not UTF-8: decode it with a fallback instead of losing findings.

The rules match UTF-8 bytes. A Latin-1 or Windows-1252 file (``"sécret"`` as the
single byte ``0xE9``) is not valid UTF-8, and a secret rule that expects text
around the value would not fire on it. Such a file is transcoded to UTF-8 before
checking, and the caller says that the encoding was guessed: positions then
refer to the text as an editor would show it in that encoding.
"""

from __future__ import annotations

#: Tried in order when the bytes are not UTF-8. Windows-1252 is what most
#: "not UTF-8" source is; Latin-1 decodes any byte, so the list always ends.
FALLBACKS: tuple[str, ...] = ("cp1252", "latin-1")


def as_utf8(data: bytes) -> tuple[bytes, str | None]:
    """``data`` as UTF-8, and the encoding it was guessed to be in (None: it was UTF-8)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return data, None
    for encoding in FALLBACKS:
        try:
            return data.decode(encoding).encode("utf-8"), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover
