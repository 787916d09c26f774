"""How to install an optional part of genguard, said the same way everywhere.

genguard is installed from a source checkout until it is published, so every
message that names an extra gives both commands: the package's and the
checkout's (``pip install -e '.[extra]'`` from the repository's top directory).
"""

from __future__ import annotations


def install_hint(extra: str) -> str:
    """``pip install 'genguard[otel]'`` (from a checkout: ``pip install -e '.[otel]'``)."""
    return f"pip install 'genguard[{extra}]' (from a source checkout: pip install -e '.[{extra}]')"
