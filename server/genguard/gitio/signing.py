"""Signing commit notes with SSH keys, the way git signs commits with ``gpg.format=ssh``.

No new cryptography: ``ssh-keygen -Y sign`` / ``-Y verify`` with the namespace
``genguard`` (so a note signature can never be replayed as a commit or e-mail
signature, and vice versa). The signed bytes are the canonical JSON of the note
without its ``signature`` key (:meth:`genguard.notes.format.Note.payload`).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from genguard.values import FrozenValue

if TYPE_CHECKING:
    from genguard.gitio.run import Git

NAMESPACE = "genguard"
SIGN_TIMEOUT = 10.0


class SigningError(RuntimeError):
    """ssh-keygen could not sign or verify; the message says why."""


def _mkstemp(prefix: str, suffix: str = "") -> tuple[int, str]:
    """A private temporary file; ``tempfile`` is imported only here, since every commit's
    note asks whether to sign and most never write a file."""
    import tempfile

    return tempfile.mkstemp(prefix=prefix, suffix=suffix)


def _ssh_keygen(args: list[str], payload: bytes) -> subprocess.CompletedProcess[bytes]:
    try:
        # A new session has no controlling terminal, so a passphrase prompt fails
        # at once instead of waiting on a tty inside a git hook.
        return subprocess.run(
            ["ssh-keygen", *args],
            input=payload,
            capture_output=True,
            timeout=SIGN_TIMEOUT,
            start_new_session=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise SigningError("ssh-keygen is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise SigningError(f"ssh-keygen did not answer within {SIGN_TIMEOUT:g} s") from exc


def sign(payload: bytes, key: Path, namespace: str = NAMESPACE) -> str:
    """An armored SSH signature of ``payload`` made with ``key``.

    ``key`` is a private key file, or a public key whose private half is in the
    running ssh-agent (as git accepts for ``user.signingkey``).
    """
    key = Path(key).expanduser()
    if not key.is_file():
        raise SigningError(f"signing key {key} does not exist")
    proc = _ssh_keygen(["-Y", "sign", "-n", namespace, "-f", str(key)], payload)
    sig = proc.stdout.decode("ascii", "replace")
    if proc.returncode != 0 or "BEGIN SSH SIGNATURE" not in sig:
        detail = proc.stderr.decode("utf-8", "replace").strip() or f"exit {proc.returncode}"
        raise SigningError(f"ssh-keygen could not sign with {key}: {detail}")
    return sig


def verify(
    payload: bytes,
    signature: str,
    allowed_signers: Path,
    identity: str,
    namespace: str = NAMESPACE,
) -> bool:
    """Whether ``signature`` over ``payload`` was made by ``identity``'s key in
    ``allowed_signers`` (the ``gpg.ssh.allowedSignersFile`` format)."""
    fd, name = _mkstemp("genguard-sig-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(signature)
        proc = _ssh_keygen(
            [
                "-Y",
                "verify",
                "-n",
                namespace,
                "-f",
                str(allowed_signers),
                "-I",
                identity,
                "-s",
                name,
            ],
            payload,
        )
        return proc.returncode == 0
    finally:
        os.unlink(name)


def find_principals(signature: str, allowed_signers: Path) -> list[str]:
    """Identities in ``allowed_signers`` holding the key that made ``signature``
    (``ssh-keygen -Y find-principals``); empty when none does."""
    fd, name = _mkstemp("genguard-sig-")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(signature)
        proc = _ssh_keygen(["-Y", "find-principals", "-s", name, "-f", str(allowed_signers)], b"")
        if proc.returncode != 0:
            return []
        return [p for p in proc.stdout.decode("utf-8", "replace").split() if p]
    finally:
        os.unlink(name)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class SigningKey(FrozenValue):
    """A key to sign notes with, and where the choice came from (for messages)."""

    path: Path
    source: str
    temporary: bool = False  # a literal ``key::`` public key written to a temp file


def literal_key_file(literal: str) -> Path:
    """Write a ``key::ssh-ed25519 AAAA...`` public key to a temp file (ssh-agent signs)."""
    fd, name = _mkstemp("genguard-key-", ".pub")
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(literal[len("key::") :].strip() + "\n")
    return Path(name)


def choose_key(
    configured: str | None, gpg_format: str | None, user_signingkey: str | None, root: Path
) -> SigningKey | None:
    """The key notes are signed with: ``[signing] key``, else git's SSH signing key.

    A relative ``[signing] key`` is relative to the repository root.
    """
    if configured:
        path = Path(configured).expanduser()
        if not path.is_absolute():
            path = root / path
        return SigningKey(path, "[signing] key")
    if (gpg_format or "").strip() == "ssh" and user_signingkey:
        value = user_signingkey.strip()
        if value.startswith("key::"):
            return SigningKey(literal_key_file(value), "user.signingkey", temporary=True)
        return SigningKey(Path(value).expanduser(), "user.signingkey")
    return None


def note_signature(
    payload: Callable[[], bytes], configured: str | None, git: Git, root: Path, signer: str
) -> tuple[dict[str, str] | None, str | None]:
    """(signature, warning) for a note whose signed bytes ``payload`` gives (asked only
    when there is a key): signed with ``[signing] key`` or git's SSH signing key; (None,
    None) when no key is configured, a warning when signing fails."""
    found: dict[str, str] = {}
    if not configured:  # one git call for both settings
        proc = git.run("config", "--get-regexp", r"^(gpg\.format|user\.signingkey)$", check=False)
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            name, _, value = line.partition(" ")
            found[name.lower()] = value.strip()
    key = choose_key(configured, found.get("gpg.format"), found.get("user.signingkey"), root)
    if key is None:
        return None, None
    try:
        sig = sign(payload(), key.path)
    except SigningError as exc:
        return None, f"the note is not signed ({key.source}): {exc}"
    finally:
        if key.temporary:
            key.path.unlink(missing_ok=True)
    return {"format": "ssh", "namespace": NAMESPACE, "signer": signer, "sig": sig}, None
