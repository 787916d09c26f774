"""genguard: a generation-time guard for AI-written code."""

from __future__ import annotations

# The single source of the version (pyproject.toml reads it from here): a plain
# constant, because hooks that start on every commit cannot afford a metadata lookup.
__version__ = "0.1.0"
