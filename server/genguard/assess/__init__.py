"""The judgement of one document: rule findings, scope, governance, agent-risk
checks and suppressions, decided in one place (:func:`assess`).

Every entry point calls it: the editor (:mod:`genguard.session`), ``genguard
scan`` (:mod:`genguard.scan.runner`), the commit gate
(:mod:`genguard.hooks.findings`) and ``genguard record``
(:mod:`genguard.agents.record`). Pure: no editor, git or LSP types.
"""

from genguard.assess.core import (
    RiskEntry,
    RiskMemo,
    assess,
    assess_lines,
    chunks_from_lines,
    line_context,
    rule_findings,
)
from genguard.assess.model import (
    AiChunk,
    Assessed,
    Assessment,
    ChunkLike,
    Finding,
    Handling,
    Hit,
    Snapshot,
)
from genguard.assess.policy import MARKER_RULES, Policy
from genguard.rules.model import Checked, Cut

__all__ = [
    "MARKER_RULES",
    "AiChunk",
    "Assessed",
    "Assessment",
    "Checked",
    "ChunkLike",
    "Cut",
    "Finding",
    "Handling",
    "Hit",
    "Policy",
    "RiskEntry",
    "RiskMemo",
    "Snapshot",
    "assess",
    "assess_lines",
    "chunks_from_lines",
    "line_context",
    "rule_findings",
]
