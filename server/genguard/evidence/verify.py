"""Re-checking an evidence bundle offline, naming exactly what does not match.

Three layers, each checked on its own so that one problem does not hide another:
every file against the SHA-256 the manifest records (and no file the manifest
does not list); the in-toto statement's subjects against the files; the DSSE
signature, when there is one, against an allowed-signers file. A bundle whose
manifest says it was signed but whose statement carries no signature has had
its signature stripped, and that is a mismatch too.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard.evidence import dsse
from genguard.evidence.bundle import CONTENT_FILES, MANIFEST, MANIFEST_SCHEMA, STATEMENT

Checker = Callable[[bytes, dict[str, Any], Path], dsse.SignatureCheck]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing that does not match; ``file`` names the bundle file concerned."""

    file: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@dataclass(slots=True)
class BundleCheck:
    directory: Path
    problems: list[Problem] = field(default_factory=list)
    files_checked: list[str] = field(default_factory=list)
    subjects_checked: list[str] = field(default_factory=list)
    signatures: dict[str, int] = field(
        default_factory=lambda: {"valid": 0, "invalid": 0, "unchecked": 0}
    )
    signers: list[str] = field(default_factory=list)
    signed: bool = False
    allowed_signers: str | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def fail(self, file: str, reason: str) -> None:
        self.problems.append(Problem(file, reason))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "directory": str(self.directory),
            "files_checked": list(self.files_checked),
            "subjects_checked": list(self.subjects_checked),
            "signed": self.signed,
            "signatures": dict(self.signatures),
            "signers": list(self.signers),
            "allowed_signers": self.allowed_signers,
            "problems": [p.to_dict() for p in self.problems],
            "notices": list(self.notices),
        }


def _plain_name(name: Any) -> bool:
    return (
        isinstance(name, str)
        and bool(name)
        and "/" not in name
        and "\\" not in name
        and name not in (".", "..")
    )


def _load_json(check: BundleCheck, name: str) -> Any:
    path = check.directory / name
    if not path.is_file():
        check.fail(name, "missing from the bundle")
        return None
    try:
        return json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        check.fail(name, f"is not valid JSON ({exc})")
        return None


def _check_manifest(check: BundleCheck) -> dict[str, Any] | None:
    manifest = _load_json(check, MANIFEST)
    if manifest is None:
        return None
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        check.fail(MANIFEST, f"is not a genguard evidence manifest (schema {MANIFEST_SCHEMA})")
        return None
    files = manifest.get("files")
    if not isinstance(files, list):
        check.fail(MANIFEST, "has no list of files")
        return None
    listed: set[str] = set()
    for entry in files:
        name = entry.get("name") if isinstance(entry, dict) else None
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if not _plain_name(name) or not isinstance(expected, str):
            check.fail(MANIFEST, f"has a malformed file entry: {json.dumps(entry)[:120]}")
            continue
        listed.add(name)
        path = check.directory / name
        if not path.is_file():
            check.fail(name, "is listed in the manifest but missing from the bundle")
            continue
        actual = dsse.sha256_file(path)
        if actual != expected:
            check.fail(
                name,
                f"has been changed: its sha256 is {actual}, the manifest records {expected}",
            )
        check.files_checked.append(name)
    for name in CONTENT_FILES:
        if name not in listed:
            check.fail(MANIFEST, f"does not list {name}")
    for child in sorted(check.directory.iterdir()):
        if child.name not in listed and child.name not in (MANIFEST, STATEMENT):
            check.fail(child.name, "is in the bundle but not listed in the manifest")
    return manifest


def _decode_statement(check: BundleCheck) -> tuple[dict[str, Any], bytes, list[Any]] | None:
    envelope = _load_json(check, STATEMENT)
    if envelope is None:
        return None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("payload"), str):
        check.fail(STATEMENT, "is not a DSSE envelope (no payload)")
        return None
    if envelope.get("payloadType") != dsse.PAYLOAD_TYPE:
        check.fail(
            STATEMENT,
            f"payloadType is {envelope.get('payloadType')!r}, expected {dsse.PAYLOAD_TYPE}",
        )
        return None
    try:
        payload = base64.b64decode(envelope["payload"], validate=True)
        statement = json.loads(payload)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        check.fail(STATEMENT, f"payload is not base64-encoded JSON ({exc})")
        return None
    if not isinstance(statement, dict) or statement.get("_type") != dsse.STATEMENT_TYPE:
        check.fail(STATEMENT, f"payload is not an in-toto Statement ({dsse.STATEMENT_TYPE})")
        return None
    if statement.get("predicateType") != dsse.PREDICATE_TYPE:
        check.fail(
            STATEMENT,
            f"predicateType is {statement.get('predicateType')!r}, expected {dsse.PREDICATE_TYPE}",
        )
    signatures = envelope.get("signatures")
    if not isinstance(signatures, list):
        check.fail(STATEMENT, "the envelope's signatures are not a list")
        signatures = []
    return statement, payload, signatures


def _check_subjects(check: BundleCheck, statement: dict[str, Any]) -> None:
    subjects = statement.get("subject")
    if not isinstance(subjects, list):
        check.fail(STATEMENT, "the statement has no subjects")
        return
    named: set[str] = set()
    for subject in subjects:
        name = subject.get("name") if isinstance(subject, dict) else None
        digest = subject.get("digest") if isinstance(subject, dict) else None
        expected = digest.get("sha256") if isinstance(digest, dict) else None
        if not _plain_name(name) or not isinstance(expected, str):
            check.fail(STATEMENT, f"has a malformed subject: {json.dumps(subject)[:120]}")
            continue
        named.add(name)
        path = check.directory / name
        if not path.is_file():
            check.fail(STATEMENT, f"names subject {name}, which is missing from the bundle")
            continue
        actual = dsse.sha256_file(path)
        if actual != expected:
            check.fail(
                name,
                f"does not match the statement: its sha256 is {actual}, the statement's "
                f"subject records {expected}",
            )
        check.subjects_checked.append(name)
    for name in (*CONTENT_FILES, MANIFEST):
        if name not in named and (check.directory / name).is_file():
            check.fail(STATEMENT, f"does not cover {name} (no subject of that name)")
    predicate = statement.get("predicate")
    recorded = predicate.get("manifest", {}).get("sha256") if isinstance(predicate, dict) else None
    manifest = check.directory / MANIFEST
    if isinstance(recorded, str) and manifest.is_file() and recorded != dsse.sha256_file(manifest):
        check.fail(STATEMENT, "the predicate's manifest digest does not match manifest.json")


def _check_signatures(
    check: BundleCheck,
    payload: bytes,
    signatures: list[Any],
    manifest: dict[str, Any] | None,
    allowed: Path | None,
    require: bool,
    checker: Checker,
) -> None:
    from genguard.gitio.signing import SigningError

    claimed = bool(isinstance(manifest, dict) and (manifest.get("signing") or {}).get("signed"))
    check.signed = bool(signatures)
    if not signatures:
        if claimed:
            check.fail(
                STATEMENT,
                "carries no signature, but the manifest says the bundle was "
                "signed: the signature was removed",
            )
        elif require:
            check.fail(STATEMENT, "is not signed")
        else:
            check.notices.append(
                "the bundle is not signed: the hashes show it is consistent, "
                "but nothing proves who made it"
            )
        return
    for sig in signatures:
        if not isinstance(sig, dict):
            check.signatures["invalid"] += 1
            check.fail(STATEMENT, "has a signature that is not an object")
            continue
        if allowed is None:
            check.signatures["unchecked"] += 1
            continue
        try:
            result = checker(payload, sig, allowed)
        except SigningError as exc:
            check.signatures["unchecked"] += 1
            check.notices.append(f"signature not checked: {exc}")
            continue
        if result.ok:
            check.signatures["valid"] += 1
            if result.principal:
                check.signers.append(result.principal)
        else:
            check.signatures["invalid"] += 1
            check.fail(STATEMENT, f"signature {result.keyid or '(no keyid)'}: {result.reason}")
    if check.signatures["unchecked"]:
        message = (
            f"{check.signatures['unchecked']} signature(s) not checked: give --allowed-signers "
            "FILE (or set [signing] allowed_signers or gpg.ssh.allowedSignersFile)"
        )
        if require:
            check.fail(STATEMENT, message)
        elif allowed is None:
            check.notices.append(message)


def verify_bundle(
    directory: Path,
    allowed_signers: Path | None = None,
    *,
    require_signature: bool = False,
    checker: Checker | None = None,
) -> BundleCheck:
    """Check the bundle in ``directory``; FileNotFoundError when it is not a directory."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a directory")
    check = BundleCheck(directory=directory)
    check.allowed_signers = None if allowed_signers is None else str(allowed_signers)
    manifest = _check_manifest(check)
    decoded = _decode_statement(check)
    if decoded is not None:
        statement, payload, signatures = decoded
        _check_subjects(check, statement)
        _check_signatures(
            check,
            payload,
            signatures,
            manifest,
            allowed_signers,
            require_signature,
            checker or dsse.check_signature,
        )
    return check
