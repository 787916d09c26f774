"""genguard: a generation-time guard for AI-written code."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up lazily: importlib.metadata costs tens of milliseconds, which every
    # git hook would otherwise pay on start-up.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("genguard")
        except PackageNotFoundError:  # running from a source tree without an install
            value = "0.0.0+local"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module 'genguard' has no attribute {name!r}")
