"""Policy as code: an OPA Rego gate over the staged change or a range of commits.

``staged_input`` / ``range_input`` build the input document (the facts the built-in
commit gate uses, plus ``--fact`` values from CI); ``evaluate`` runs Rego policies on
it in-process and returns the ``data.genguard.deny`` messages. No language server.
"""

from genguard.policy.facts import FactError, parse_facts, parse_value
from genguard.policy.input import SCHEMA, InputError, range_input, staged_input
from genguard.policy.rego import (
    DENY_QUERY,
    Decision,
    PolicyError,
    RegoMissing,
    evaluate,
    policy_files,
)

__all__ = [
    "DENY_QUERY",
    "SCHEMA",
    "Decision",
    "FactError",
    "InputError",
    "PolicyError",
    "RegoMissing",
    "evaluate",
    "parse_facts",
    "parse_value",
    "policy_files",
    "range_input",
    "staged_input",
]
