"""Audit evidence for a period: a self-contained bundle an auditor can sample and re-check.

``collect`` reads the period's commits, their notes and the ledger;
``figures`` sums them; ``render`` writes ``report.html`` and ``changes.csv``;
``controls`` says how each control is evidenced; ``bundle`` writes the files
with a manifest and a signed in-toto statement; ``verify`` re-checks a bundle
offline. Nothing here imports the language server, and no code, prompt or
secret is ever written: only hashes, counts, paths, line numbers, commit
metadata and the reasons people gave.
"""

from genguard.evidence.bundle import BundleError, BundleResult, Signing, write_bundle
from genguard.evidence.collect import Evidence, collect
from genguard.evidence.period import Period, PeriodError, parse_period
from genguard.evidence.verify import BundleCheck, verify_bundle

__all__ = [
    "BundleCheck",
    "BundleError",
    "BundleResult",
    "Evidence",
    "Period",
    "PeriodError",
    "Signing",
    "collect",
    "parse_period",
    "verify_bundle",
    "write_bundle",
]
