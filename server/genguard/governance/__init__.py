"""Governance checks for AI chunks (pure: no editor or LSP types).

Which paths AI may write to, which tools and models are approved, how large one
AI act may be, which imports are banned, and which license header new files
carry. The session gathers :class:`ChunkFacts` per chunk and shows each
:class:`Violation` with the metadata of the ``governance`` pack rule whose
``check`` names it.
"""

from genguard.governance.imports import ImportRef, banned_match, find_imports
from genguard.governance.policy import (
    APPROVED_MODEL,
    APPROVED_TOOL,
    BANNED_IMPORT,
    CHECKS,
    CHUNK_SIZE,
    LICENSE_HEADER,
    PROTECTED_PATH,
    ChunkFacts,
    GovernancePolicy,
    Violation,
    evaluate,
)

__all__ = [
    "APPROVED_MODEL",
    "APPROVED_TOOL",
    "BANNED_IMPORT",
    "CHECKS",
    "CHUNK_SIZE",
    "LICENSE_HEADER",
    "PROTECTED_PATH",
    "ChunkFacts",
    "GovernancePolicy",
    "ImportRef",
    "Violation",
    "banned_match",
    "evaluate",
    "find_imports",
]
