"""Writing the evidence bundle: five files in a new directory, or nothing at all.

The bundle is built in a temporary directory beside the target and renamed into
place at the end, so an error part-way never leaves a half bundle that could be
mistaken for a whole one, and an existing directory with files in it is never
written into.

Order matters for the signature: the report says whether the bundle is signed,
so the signing key is tried first (on a throw-away payload), then the report,
CSV and controls are written, the manifest hashes them, and the statement lists
every file (the manifest too) and is signed last.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genguard.evidence import dsse
from genguard.evidence.collect import Evidence
from genguard.evidence.controls import control_entries, controls_document, observe
from genguard.evidence.figures import Figures, compute
from genguard.evidence.render import changes_csv, render_report

REPORT = "report.html"
CHANGES = "changes.csv"
CONTROLS = "controls.json"
MANIFEST = "manifest.json"
STATEMENT = "statement.intoto.json"
#: Files the manifest hashes, in the order they are written.
CONTENT_FILES: tuple[str, ...] = (REPORT, CHANGES, CONTROLS)
MANIFEST_SCHEMA = "genguard/evidence-manifest/1"


class BundleError(RuntimeError):
    """The bundle cannot be written where asked; nothing was written."""


@dataclass(slots=True)
class Signing:
    """Whether the bundle gets signed, with what, and why not."""

    key: Path | None = None
    source: str = ""
    keyid: str | None = None
    reason: str = ""
    temporary: bool = False

    @property
    def signed(self) -> bool:
        return self.key is not None and self.keyid is not None

    def to_dict(self) -> dict[str, Any]:
        if self.signed:
            return {
                "signed": True,
                "keyid": self.keyid,
                "source": self.source,
                "namespace": "genguard",
            }
        return {"signed": False, "reason": self.reason}


@dataclass(slots=True)
class BundleResult:
    path: Path
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256
    signing: Signing = field(default_factory=Signing)
    figures: Figures | None = None
    controls_source: str = ""


def configured_key(repo: Path) -> Signing:
    """The key notes are signed with (``[signing] key``, else git's SSH signing key)."""
    from genguard.config.loader import load_settings
    from genguard.gitio.history import run_git
    from genguard.gitio.signing import choose_key

    configured = load_settings(repo).settings.signing.key
    found: dict[str, str] = {}
    if not configured:
        proc = run_git(
            repo, "config", "--get-regexp", r"^(gpg\.format|user\.signingkey)$", check=False
        )
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            name, _, value = line.partition(" ")
            found[name.lower()] = value.strip()
    key = choose_key(configured, found.get("gpg.format"), found.get("user.signingkey"), repo)
    if key is None:
        return Signing(
            reason="no signing key is configured ([signing] key, or git's user.signingkey "
            "with gpg.format = ssh)"
        )
    return Signing(key=key.path, source=key.source, temporary=key.temporary)


def probe(signing: Signing) -> Signing:
    """Sign a throw-away payload to learn the keyid, or why the key cannot sign."""
    from genguard.gitio.signing import SigningError

    if signing.key is None:
        return signing
    try:
        signing.keyid = dsse.sign_envelope(b"genguard evidence probe", signing.key)["keyid"]
    except SigningError as exc:
        signing.reason = f"the key from {signing.source} cannot sign: {exc}"
        signing.keyid = None
    return signing


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _manifest(
    evidence: Evidence, figures: Figures, files: dict[str, tuple[str, int]], signing: Signing
) -> dict[str, Any]:
    return {
        "schema": MANIFEST_SCHEMA,
        "genguard_version": evidence.version,
        "created": evidence.created,
        "repository": evidence.repo.to_dict(),
        "period": evidence.period.to_dict(),
        "range": evidence.range_dict(),
        "ledger": evidence.ledger.to_dict(),
        "policy_hash": evidence.policy_hash,
        "policy_hashes_in_notes": evidence.policy_hashes,
        "summary": figures.summary(),
        "signing": signing.to_dict(),
        "warnings": list(evidence.warnings),
        "files": [{"name": n, "sha256": d, "bytes": size} for n, (d, size) in files.items()],
    }


def _predicate(evidence: Evidence, manifest_digest: str, signing: Signing) -> dict[str, Any]:
    return {
        "manifest": {"name": MANIFEST, "sha256": manifest_digest},
        "repository": evidence.repo.to_dict(),
        "period": evidence.period.to_dict(),
        "range": evidence.range_dict(),
        "ledger": {
            "head": evidence.ledger.head,
            "head_at_period_end": evidence.ledger.head_at_until,
            "chain_ok": evidence.ledger.chain_ok,
        },
        "policy_hash": evidence.policy_hash,
        "genguard_version": evidence.version,
        "created": evidence.created,
        "signed": signing.signed,
    }


def _write(directory: Path, evidence: Evidence, figures: Figures, signing: Signing) -> BundleResult:
    """Write all five files into ``directory``; SigningError if the final signature fails."""
    entries, source = control_entries(evidence.ruleset)
    observe(entries, figures)
    contents = {
        REPORT: render_report(evidence, figures, entries, source, signing.to_dict()),
        CHANGES: changes_csv(evidence.rows),
        CONTROLS: _json(controls_document(entries, source)),
    }
    hashed: dict[str, tuple[str, int]] = {}
    for name in CONTENT_FILES:
        path = directory / name
        path.write_bytes(contents[name].encode("utf-8"))
        hashed[name] = (dsse.sha256_file(path), path.stat().st_size)
    (directory / MANIFEST).write_bytes(
        _json(_manifest(evidence, figures, hashed, signing)).encode()
    )
    digests = {name: d for name, (d, _) in hashed.items()}
    digests[MANIFEST] = dsse.sha256_file(directory / MANIFEST)
    payload = dsse.statement_bytes(
        dsse.statement(digests, _predicate(evidence, digests[MANIFEST], signing))
    )
    signatures = (
        [dsse.sign_envelope(payload, signing.key)]
        if signing.signed and signing.key is not None
        else []
    )
    (directory / STATEMENT).write_bytes(_json(dsse.envelope(payload, signatures)).encode())
    digests[STATEMENT] = dsse.sha256_file(directory / STATEMENT)
    return BundleResult(directory, digests, signing, figures, source)


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise BundleError(f"{out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        raise BundleError(
            f"{out} already holds files; evidence is written to a new or empty directory so "
            "that nothing is overwritten"
        )
    if not out.parent.is_dir():
        raise BundleError(f"{out.parent} does not exist")


def write_bundle(evidence: Evidence, out: Path, signing: Signing | None = None) -> BundleResult:
    """Write the bundle for ``evidence`` to the new directory ``out``; BundleError on refusal."""
    from genguard.gitio.signing import SigningError

    out = out.expanduser().absolute()
    _prepare(out)
    signing = signing or Signing(reason="signing was not asked for")
    figures = compute(evidence)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        try:
            result = _write(work, evidence, figures, signing)
        except SigningError as exc:  # the probe passed but the real signature failed
            signing = Signing(reason=f"the key from {signing.source} cannot sign: {exc}")
            for child in work.iterdir():
                child.unlink()
            result = _write(work, evidence, figures, signing)
        os.chmod(work, 0o755)
        if out.is_dir():
            out.rmdir()  # empty: checked above
        os.rename(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.path = out
    return result
