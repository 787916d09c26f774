"""Local provenance records: an append-only, hash-chained JSON Lines ledger.

Names are imported on first use, so a commit hook that reads the ledger's index
loads little else. The chain check is ``genguard.ledger.verify.verify``: the package
does not re-export it, because importing the submodule of the same name would
leave the module where the function is expected.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from genguard.ledger.records import (
        CHUNK_CREATED,
        CHUNK_ENDED,
        CHUNK_MODIFIED,
        CHUNK_RESTORED,
        CHUNK_REVIEWED,
        EVENTS,
        FINDING_RAISED,
        FINDING_RESOLVED,
        FINDING_SUPPRESSED,
        FORBIDDEN_KEYS,
        LEDGER_RECOVERED,
        SCHEMA_VERSION,
        canonical_json,
        hash_text,
        record_hash,
    )
    from genguard.ledger.store import Ledger, LedgerError, ledger_path
    from genguard.ledger.verify import VerifyResult

_HOMES = {
    "Ledger": "store",
    "LedgerError": "store",
    "ledger_path": "store",
    "VerifyResult": "verify",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"genguard.ledger.{_HOMES.get(name, 'records')}")
    return getattr(module, name)


__all__ = [
    "CHUNK_CREATED",
    "CHUNK_ENDED",
    "CHUNK_MODIFIED",
    "CHUNK_RESTORED",
    "CHUNK_REVIEWED",
    "EVENTS",
    "FINDING_RAISED",
    "FINDING_RESOLVED",
    "FINDING_SUPPRESSED",
    "FORBIDDEN_KEYS",
    "LEDGER_RECOVERED",
    "SCHEMA_VERSION",
    "Ledger",
    "LedgerError",
    "VerifyResult",
    "canonical_json",
    "hash_text",
    "ledger_path",
    "record_hash",
]
