"""An in-toto Statement v1 over the bundle, in a DSSE envelope, signed with ``ssh-keygen``.

DSSE signs ``PAE(payloadType, payload)`` (``DSSEv1 <len> <type> <len> <body>``),
never the bare JSON, so a signature cannot be replayed as anything else; in
particular it can never verify as a commit-note signature, although both use
the ``genguard`` namespace (so one allowed-signers file serves both).

The SSH signature goes into the envelope as DSSE expects: ``sig`` is the
base64 of the binary SSHSIG blob (the body of ssh-keygen's armour) and
``keyid`` is the signing key's ``SHA256:`` fingerprint, read from the blob
itself. Verification re-armours it and asks ``ssh-keygen -Y find-principals``
which identities of the allowed-signers file hold that key, then
``ssh-keygen -Y verify`` for them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genguard.gitio.signing import NAMESPACE, SigningError, find_principals, sign, verify

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "https://genguard.dev/evidence/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"
_ARMOR_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_ARMOR_END = "-----END SSH SIGNATURE-----"


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding: what a DSSE signature actually covers."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def statement(subjects: dict[str, str], predicate: dict[str, Any]) -> dict[str, Any]:
    """The in-toto Statement: ``subjects`` maps file name to its sha256 (hex)."""
    return {
        "_type": STATEMENT_TYPE,
        "subject": [
            {"name": name, "digest": {"sha256": d}} for name, d in sorted(subjects.items())
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": predicate,
    }


def statement_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def envelope(payload: bytes, signatures: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "payloadType": PAYLOAD_TYPE,
        "payload": base64.b64encode(payload).decode("ascii"),
        "signatures": signatures,
    }


def dearmor(armored: str) -> bytes:
    """The SSHSIG blob inside ``ssh-keygen``'s armour."""
    lines = [ln.strip() for ln in armored.strip().splitlines()]
    if not lines or lines[0] != _ARMOR_BEGIN or lines[-1] != _ARMOR_END:
        raise ValueError("not an armoured SSH signature")
    return base64.b64decode("".join(lines[1:-1]), validate=True)


def armor(blob: bytes) -> str:
    body = base64.b64encode(blob).decode("ascii")
    rows = [body[i : i + 70] for i in range(0, len(body), 70)]
    return "\n".join([_ARMOR_BEGIN, *rows, _ARMOR_END]) + "\n"


def _ssh_string(blob: bytes, pos: int) -> tuple[bytes, int]:
    if pos + 4 > len(blob):
        raise ValueError("truncated SSH signature")
    n = int.from_bytes(blob[pos : pos + 4], "big")
    if pos + 4 + n > len(blob):
        raise ValueError("truncated SSH signature")
    return blob[pos + 4 : pos + 4 + n], pos + 4 + n


def key_fingerprint(blob: bytes) -> str:
    """``SHA256:…`` of the public key inside an SSHSIG blob (as ``ssh-keygen -l`` prints it)."""
    if not blob.startswith(b"SSHSIG") or len(blob) < 10:
        raise ValueError("not an SSHSIG signature")
    public_key, _ = _ssh_string(blob, 10)  # magic (6) + version (4)
    digest = base64.b64encode(hashlib.sha256(public_key).digest()).decode().rstrip("=")
    return f"SHA256:{digest}"


def sign_envelope(payload: bytes, key: Path) -> dict[str, str]:
    """One DSSE signature ``{keyid, sig}`` over ``payload`` with an SSH key; SigningError."""
    armored = sign(pae(PAYLOAD_TYPE, payload), key, NAMESPACE)
    try:
        blob = dearmor(armored)
        keyid = key_fingerprint(blob)
    except (ValueError, binascii.Error) as exc:
        raise SigningError(f"ssh-keygen wrote a signature genguard cannot read: {exc}") from exc
    return {"keyid": keyid, "sig": base64.b64encode(blob).decode("ascii")}


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    keyid: str
    ok: bool
    principal: str | None
    reason: str


def check_signature(payload: bytes, signature: dict[str, Any], allowed: Path) -> SignatureCheck:
    """Check one DSSE signature against an allowed-signers file (SigningError: no ssh-keygen)."""
    keyid = str(signature.get("keyid") or "")
    try:
        blob = base64.b64decode(str(signature.get("sig") or ""), validate=True)
        actual = key_fingerprint(blob)
    except (ValueError, binascii.Error) as exc:
        return SignatureCheck(keyid, False, None, f"the signature is not an SSH signature ({exc})")
    if keyid and keyid != actual:
        return SignatureCheck(keyid, False, None, f"keyid {keyid} is not the signing key {actual}")
    armored = armor(blob)
    principals = find_principals(armored, allowed)
    if not principals:
        return SignatureCheck(
            actual,
            False,
            None,
            f"the signing key {actual} is not in {allowed} (namespace genguard)",
        )
    message = pae(PAYLOAD_TYPE, payload)
    for principal in principals:
        if verify(message, armored, allowed, principal, NAMESPACE):
            return SignatureCheck(actual, True, principal, "")
    return SignatureCheck(
        actual,
        False,
        principals[0],
        f"the signature by {principals[0]} ({actual}) does not verify: the statement was "
        "changed after it was signed",
    )
