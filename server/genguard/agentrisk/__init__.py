"""Agent-risk checks: the failure modes of AI coding tools (pure: no editor or LSP types).

Hallucinated or undeclared dependencies, weakened tests, silenced tools,
guard-rail and CI edits, over-broad changes and documented stubs. Pattern-shaped
risks (swallowed errors, secrets in logs, placeholders) are plain rules of the
``agent-risk`` pack; the ones here need code: manifests and standard-library
lists, the text an edit replaced, file counts. The session (and ``genguard
record``) gathers :class:`EditFacts` per AI edit and shows each violation with
the metadata of the pack's rule whose ``check`` names it.

Names are imported on first use, so :mod:`.manifests` stays cheap to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from genguard.agentrisk.policy import (
        BROAD_CHANGE,
        BROAD_CHECKPOINT,
        CHUNK_CHECKS,
        CI_WEAKENING,
        GUARDRAIL_PATH,
        SILENCED_TOOL,
        STUB_IMPLEMENTATION,
        UNDECLARED_DEPENDENCY,
        WEAKENED_TEST,
        AgentRiskPolicy,
        CheckpointViolation,
        EditFacts,
        changed_lines,
        evaluate,
        evaluate_checkpoint,
    )
    from genguard.rules.model import AGENT_RISK_CHECKS

PACK = "agent-risk"


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = "genguard.rules.model" if name == "AGENT_RISK_CHECKS" else "genguard.agentrisk.policy"
    return getattr(importlib.import_module(home), name)


__all__ = [
    "AGENT_RISK_CHECKS",
    "BROAD_CHANGE",
    "BROAD_CHECKPOINT",
    "CHUNK_CHECKS",
    "CI_WEAKENING",
    "GUARDRAIL_PATH",
    "PACK",
    "SILENCED_TOOL",
    "STUB_IMPLEMENTATION",
    "UNDECLARED_DEPENDENCY",
    "WEAKENED_TEST",
    "AgentRiskPolicy",
    "CheckpointViolation",
    "EditFacts",
    "changed_lines",
    "evaluate",
    "evaluate_checkpoint",
]
