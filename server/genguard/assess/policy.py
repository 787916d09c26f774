"""Everything an assessment needs from one configuration, compiled once per load.

The rules (compiled per language on first use), the governance policy and the
rules that name its checks, the agent-risk policy and its rules, and the
severity overrides. The editor builds one per configuration reload; a scan, the
commit gate and ``genguard record`` build one per run. The compiled rules, the
governance and the agent-risk policies (and their modules) are built on first use:
a scan answered from the result cache matches nothing, only AI chunks need the
governance and agent-risk checks, and neither should pay for importing them.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from genguard.config.settings import Settings
from genguard.rules.model import AGENT_RISK_CHECKS, CHECKS, Rule, RuleSet
from genguard.rules.suppression import AI_WRITTEN_RULE, UNJUSTIFIED_RULE

if TYPE_CHECKING:
    from genguard.agentrisk import AgentRiskPolicy
    from genguard.governance import GovernancePolicy
    from genguard.rules.matcher import CompiledRules

_SERIAL = itertools.count(1)

MARKER_RULES: Mapping[str, Rule] = {r.id: r for r in (UNJUSTIFIED_RULE, AI_WRITTEN_RULE)}
"""The built-in rules for findings about suppression markers themselves."""


def _check_rules(ruleset: RuleSet, checks: tuple[str, ...]) -> dict[str, Rule]:
    """check name -> the first loaded rule that names it (first definition wins)."""
    out: dict[str, Rule] = {}
    for rule in ruleset.rules:
        if rule.check in checks:
            out.setdefault(rule.check, rule)
    return out


@dataclass(frozen=True)
class Policy:
    """The rules and policies of one configuration (see the module docstring).

    ``serial`` tells two loads apart, so per-chunk results memoised under one
    policy are not reused under the next.
    """

    settings: Settings
    ruleset: RuleSet
    governance_rules: Mapping[str, Rule]
    agent_risk_rules: Mapping[str, Rule]
    rules_by_id: Mapping[str, Rule] = field(repr=False)
    serial: int = 0
    #: where the agent-risk checks look for manifests (None: not at all)
    root: Path | None = None
    #: compile for a few range checks (see :class:`~genguard.rules.CompiledRules`)
    lean: bool = False
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        settings: Settings,
        ruleset: RuleSet,
        *,
        root: Path | None,
        lean: bool = False,
    ) -> Policy:
        """``root``: where the agent-risk checks look for manifests (None: not at all).
        ``lean``: compile the rules for a few range checks (see :class:`CompiledRules`)."""
        return cls(
            settings=settings,
            ruleset=ruleset,
            governance_rules=_check_rules(ruleset, CHECKS),
            agent_risk_rules=_check_rules(ruleset, AGENT_RISK_CHECKS),
            rules_by_id={**MARKER_RULES, **{r.id: r for r in ruleset.rules}},
            serial=next(_SERIAL),
            root=root,
            lean=lean,
        )

    @property
    def compiled(self) -> CompiledRules:
        """The rules compiled per language on first use (one instance per policy, also
        when threads ask at once: what it compiles is kept)."""
        found = self.__dict__.get("_compiled")
        if found is None:
            with self._lock:
                found = self.__dict__.get("_compiled")
                if found is None:
                    from genguard.rules.matcher import CompiledRules

                    found = CompiledRules(self.ruleset, lean=self.lean)
                    self.__dict__["_compiled"] = found
        return found

    @cached_property
    def governance(self) -> GovernancePolicy:
        """The governance settings with the checks the rules enable."""
        from genguard.governance import GovernancePolicy

        return GovernancePolicy.from_settings(self.settings, enabled=self.governance_rules)

    @cached_property
    def agent_risk(self) -> AgentRiskPolicy:
        """The agent-risk settings with the checks the rules enable."""
        from genguard.agentrisk import AgentRiskPolicy
        from genguard.governance.policy import CHUNK_SIZE

        return AgentRiskPolicy.from_settings(
            self.settings,
            enabled=self.agent_risk_rules,
            root=self.root,
            governance_size=CHUNK_SIZE in self.governance_rules,
        )

    def severity(self, rule: Rule) -> str:
        """The rule's severity after the workspace's ``[rules.severity]`` overrides."""
        return self.settings.rules.severity_for(rule.id, rule.severity)
