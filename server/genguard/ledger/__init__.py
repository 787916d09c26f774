"""Local provenance records: an append-only, hash-chained JSON Lines ledger."""

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
from genguard.ledger.verify import VerifyResult, verify

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
    "verify",
]
