"""Typed, immutable genguard settings.

Settings are frozen so they can be shared between the language server's
handlers, cached, and compared cheaply; :meth:`Settings.fingerprint` gives a
stable digest so callers can tell whether a reload actually changed anything.
Validation of user input lives in :mod:`genguard.config.loader`; these classes
only normalise container types (lists become tuples, dicts become read-only
mappings) so programmatic construction cannot break immutability.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, get_args

Scope = Literal["ai", "all"]
"""``"ai"`` checks only AI-attributed code; ``"all"`` checks the whole file."""

Severity = Literal["error", "warning", "info", "hint"]
"""Diagnostic severities a rule can be overridden to."""

SCOPES: tuple[str, ...] = get_args(Scope)
SEVERITIES: tuple[str, ...] = get_args(Severity)

DEFAULT_PACKS: tuple[str, ...] = ("security", "secrets", "governance", "agent-risk")
DEFAULT_MAX_CHUNK_LINES = 300
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    """Deduplicate while keeping the user's order, so equal configs compare equal."""
    return tuple(dict.fromkeys(values))


def _frozen_map(values: Mapping[str, str]) -> Mapping[str, Any]:
    """A read-only, key-sorted copy: immutable and independent of input order."""
    return MappingProxyType(dict(sorted(values.items())))


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


@dataclass(frozen=True, kw_only=True)
class HeuristicSettings:
    """Thresholds for treating an unattributed insertion as AI-written.

    An insertion becomes a heuristic AI chunk when it spans at least
    ``min_lines`` lines *and* holds at least ``min_chars`` non-blank characters;
    both must hold so that ordinary typing and small pastes are not flagged.
    """

    min_lines: int = 2
    min_chars: int = 40


@dataclass(frozen=True, kw_only=True)
class RuleSettings:
    """Which policy rules run, and at what severity."""

    packs: tuple[str, ...] = DEFAULT_PACKS
    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    # rules the repository adds in .genguard/rules/ (pack "repository")
    repository: bool = True
    # Excluded from hashing because mapping proxies are unhashable; equality
    # still compares it, which keeps hash/eq consistent.
    severity: Mapping[str, Severity] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def __post_init__(self) -> None:
        _set(self, "packs", _str_tuple(self.packs))
        _set(self, "disable", _str_tuple(self.disable))
        _set(self, "enable", _str_tuple(self.enable))
        _set(self, "severity", _frozen_map(self.severity))

    def is_enabled(self, rule_id: str, pack: str) -> bool:
        """Whether ``rule_id`` from ``pack`` should run.

        ``disable`` wins over ``enable`` so that an explicit opt-out is never
        silently overridden; ``enable`` turns on rules from unlisted packs.
        """
        if rule_id in self.disable:
            return False
        return rule_id in self.enable or pack in self.packs

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        """The configured severity for ``rule_id``, else the rule's own ``default``."""
        return self.severity.get(rule_id, default)


@dataclass(frozen=True, kw_only=True)
class CacheSettings:
    """Result cache; disabling it trades speed for never reusing stale results."""

    enabled: bool = True


@dataclass(frozen=True, kw_only=True)
class LedgerSettings:
    """Provenance ledger of attributed chunks and their review state."""

    enabled: bool = True


REQUIRE_REVIEW: tuple[str, ...] = ("warn", "block", "off")
DEFAULT_HOOK_TIMEOUT = 5.0


@dataclass(frozen=True, kw_only=True)
class HookSettings:
    """The git hooks (``genguard install-hooks``): how strict, and how long they may take.

    ``require_review``: ``"warn"`` prints a warning for unreviewed AI code being
    committed, ``"block"`` refuses the commit, ``"off"`` says nothing. A hook
    never runs longer than ``timeout`` seconds; when it fails (internal error or
    timeout) the commit goes ahead with a warning unless ``fail_closed``.
    ``standby`` lets the pre-commit process serve the later hooks of the same commit
    (:mod:`genguard.hooks.standby`); turning it off only makes commits slower.
    """

    require_review: str = "warn"
    timeout: float = DEFAULT_HOOK_TIMEOUT
    fail_closed: bool = False
    standby: bool = True


@dataclass(frozen=True, kw_only=True)
class SigningSettings:
    """Signing of commit notes; ``key`` is an SSH private key file (or, with an
    agent, its public key). Unset: git's ``user.signingkey`` when ``gpg.format``
    is ``ssh``, else notes are not signed. ``allowed_signers`` is what
    ``genguard verify`` checks signatures against."""

    key: str | None = None
    allowed_signers: str | None = None

    def __post_init__(self) -> None:
        _set(self, "key", self.key or None)
        _set(self, "allowed_signers", self.allowed_signers or None)


@dataclass(frozen=True, kw_only=True)
class ScanSettings:
    """``genguard scan``: what a repository scan leaves out.

    ``exclude`` holds gitignore-style globs relative to the workspace root, on top
    of the repository's own ``.gitignore`` files; files over ``max_file_bytes`` are
    skipped with a note (generated or vendored blobs cost time and are rarely code).
    """

    exclude: tuple[str, ...] = ()
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES

    def __post_init__(self) -> None:
        _set(self, "exclude", _str_tuple(self.exclude))


@dataclass(frozen=True, kw_only=True)
class GovernanceSettings:
    """Organisation policy for AI-written code, checked per AI chunk.

    Each check stays quiet until configured, except the chunk size limit
    (``max_chunk_lines``; 0 turns it off): one AI act writing hundreds of lines
    is rarely reviewed line by line. ``protected_paths`` are gitignore-style
    globs relative to the workspace root; ``banned_imports`` are module or package
    names; ``license_header`` is the text a new file must start with.
    """

    protected_paths: tuple[str, ...] = ()
    approved_models: tuple[str, ...] = ()
    max_chunk_lines: int = DEFAULT_MAX_CHUNK_LINES
    banned_imports: tuple[str, ...] = ()
    license_header: str | None = None

    def __post_init__(self) -> None:
        _set(self, "protected_paths", _str_tuple(self.protected_paths))
        _set(self, "approved_models", _str_tuple(self.approved_models))
        _set(self, "banned_imports", _str_tuple(self.banned_imports))
        _set(self, "license_header", self.license_header or None)


CI_GLOBS: tuple[str, ...] = (
    # CI and build pipelines
    ".github/workflows/**",
    ".github/actions/**",
    ".gitlab-ci.yml",
    ".gitlab/ci/**",
    ".circleci/**",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".travis.yml",
    "Jenkinsfile",
    ".buildkite/**",
    ".drone.yml",
    # commit hooks
    ".pre-commit-config.yaml",
    ".husky/**",
    "lefthook.yml",
    ".lefthook.yml",
)
"""Files whose steps run the project's checks (pipelines and commit hooks)."""

DEFAULT_GUARDRAIL_GLOBS: tuple[str, ...] = (
    *CI_GLOBS,
    # the guard's own configuration, code owners
    ".genguard.toml",
    ".genguard/**",
    "CODEOWNERS",
    ".github/CODEOWNERS",
    "docs/CODEOWNERS",
    # lockfiles
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "Cargo.lock",
    "go.sum",
    "composer.lock",
    "Gemfile.lock",
    "gradle.lockfile",
    "packages.lock.json",
    # authentication and cryptography
    "**/auth/**",
    "**/authn/**",
    "**/authz/**",
    "**/authentication/**",
    "**/authorization/**",
    "**/auth.*",
    "**/crypto/**",
    "**/crypto.*",
    "**/cryptography/**",
)
"""What ``agent_risk.guardrail_globs`` holds by default: files that keep the project's
checks, ownership and supply chain in place, and its authentication and crypto code."""

DEFAULT_MAX_FILES_PER_CHECKPOINT = 10


@dataclass(frozen=True, kw_only=True)
class AgentRiskSettings:
    """The ``agent-risk`` pack's checks (failure modes of AI coding tools).

    ``guardrail_globs`` (gitignore-style, relative to the workspace root) name the
    files an AI edit to which always needs review; the list replaces the default.
    ``max_files_per_checkpoint`` is how many files one agent checkpoint may touch
    before it asks for review (0 turns it off). The size of one AI change is
    limited by ``governance.max_chunk_lines``, shared with the governance pack.
    """

    guardrail_globs: tuple[str, ...] = DEFAULT_GUARDRAIL_GLOBS
    max_files_per_checkpoint: int = DEFAULT_MAX_FILES_PER_CHECKPOINT

    def __post_init__(self) -> None:
        _set(self, "guardrail_globs", _str_tuple(self.guardrail_globs))


@dataclass(frozen=True, kw_only=True)
class TelemetrySettings:
    """Live export of ledger events to an OpenTelemetry collector (OTLP/HTTP), off by
    default. Transport, not policy: left out of :meth:`Settings.fingerprint`, so turning
    it on never changes the policy hash recorded with commits."""

    enabled: bool = False
    otlp_endpoint: str | None = None

    def __post_init__(self) -> None:
        _set(self, "otlp_endpoint", self.otlp_endpoint or None)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The complete genguard configuration for one workspace."""

    scope: Scope = "ai"
    unreviewed_diagnostic: bool = True
    approved_tools: tuple[str, ...] = ()
    reviewer: str | None = None
    heuristics: HeuristicSettings = field(default_factory=HeuristicSettings)
    rules: RuleSettings = field(default_factory=RuleSettings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    ledger: LedgerSettings = field(default_factory=LedgerSettings)
    governance: GovernanceSettings = field(default_factory=GovernanceSettings)
    scan: ScanSettings = field(default_factory=ScanSettings)
    hooks: HookSettings = field(default_factory=HookSettings)
    signing: SigningSettings = field(default_factory=SigningSettings)
    telemetry: TelemetrySettings = field(default_factory=TelemetrySettings)
    agent_risk: AgentRiskSettings = field(default_factory=AgentRiskSettings)

    def __post_init__(self) -> None:
        _set(self, "approved_tools", _str_tuple(self.approved_tools))
        # An empty reviewer means "use the default identity", same as unset.
        _set(self, "reviewer", self.reviewer or None)

    @classmethod
    def default(cls) -> Settings:
        """The settings used when no configuration exists or it is unusable."""
        return cls()

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-serialisable view (tuples as lists, mappings as dicts)."""
        return {
            "scope": self.scope,
            "unreviewed_diagnostic": self.unreviewed_diagnostic,
            "approved_tools": list(self.approved_tools),
            "reviewer": self.reviewer,
            "heuristics": {
                "min_lines": self.heuristics.min_lines,
                "min_chars": self.heuristics.min_chars,
            },
            "rules": {
                "packs": list(self.rules.packs),
                "disable": list(self.rules.disable),
                "enable": list(self.rules.enable),
                "repository": self.rules.repository,
                "severity": dict(self.rules.severity),
            },
            "cache": {"enabled": self.cache.enabled},
            "ledger": {"enabled": self.ledger.enabled},
            "governance": {
                "protected_paths": list(self.governance.protected_paths),
                "approved_models": list(self.governance.approved_models),
                "max_chunk_lines": self.governance.max_chunk_lines,
                "banned_imports": list(self.governance.banned_imports),
                "license_header": self.governance.license_header,
            },
            "scan": {
                "exclude": list(self.scan.exclude),
                "max_file_bytes": self.scan.max_file_bytes,
            },
            "hooks": {
                "require_review": self.hooks.require_review,
                "timeout": self.hooks.timeout,
                "fail_closed": self.hooks.fail_closed,
            },
            "signing": {
                "key": self.signing.key,
                "allowed_signers": self.signing.allowed_signers,
            },
            "agent_risk": {
                "guardrail_globs": list(self.agent_risk.guardrail_globs),
                "max_files_per_checkpoint": self.agent_risk.max_files_per_checkpoint,
            },
        }

    def fingerprint(self) -> str:
        """SHA-256 of a canonical JSON dump: equal settings give equal digests.

        Stable across processes (unlike ``hash``), so it can key caches on disk.
        """
        canonical = json.dumps(
            self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        import hashlib  # here: a hook that never needs a digest starts faster

        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
