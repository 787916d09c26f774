"""Typed, immutable genguard settings, each key declared once.

Every key is a dataclass field declared with :func:`~genguard.config.options.option`:
its kind (type and bounds), default, help text and which layers may set it. The
loader's validation, :meth:`Settings.to_dict`, docs/configuration.md's tables and
what editors learn (``genguard/settings``) are derived from these declarations.

Settings are frozen so they can be shared between the language server's
handlers, cached, and compared cheaply; :meth:`Settings.fingerprint` gives a
stable digest so callers can tell whether a reload actually changed anything.
The classes normalise container types (lists become tuples, dicts read-only
mappings) so programmatic construction cannot break immutability.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal, get_args

from genguard.config.options import (
    Bool,
    Choice,
    Int,
    Levels,
    Lock,
    Seconds,
    Strings,
    Text,
    Url,
    option,
    plain,
    section,
)
from genguard.values import FrozenValue

Scope = Literal["ai", "all"]
"""``"ai"`` checks only AI-attributed code; ``"all"`` checks the whole file."""

Severity = Literal["error", "warning", "info", "hint"]
"""Diagnostic severities a rule can be overridden to."""

SCOPES: tuple[str, ...] = get_args(Scope)
SEVERITIES: tuple[str, ...] = get_args(Severity)
REQUIRE_REVIEW: tuple[str, ...] = ("off", "warn", "block")
"""From least to most strict: an organisation's value is a floor."""
FAIL_MODES: tuple[str, ...] = ("open", "closed")

DEFAULT_PACKS: tuple[str, ...] = ("security", "secrets", "governance", "agent-risk")
DEFAULT_MAX_CHUNK_LINES = 300
DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024
DEFAULT_HOOK_TIMEOUT = 5.0
DEFAULT_MAX_FILES_PER_CHECKPOINT = 10
MAX_GLOBS = 1000
"""Most globs one list may hold: matching compiles them into one automaton."""


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    """Deduplicate while keeping the user's order, so equal configs compare equal."""
    return tuple(dict.fromkeys(values))


def _frozen_map(values: Mapping[str, str]) -> Mapping[str, Any]:
    """A read-only, key-sorted copy: immutable and independent of input order."""
    return MappingProxyType(dict(sorted(values.items())))


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable gitignore-style glob, or None when it is."""
    if pattern.startswith("!"):
        return "negations are not supported here; list only what is protected"
    try:
        import pathspec  # only when globs are configured: keeps hook start-up cheap

        spec = pathspec.GitIgnoreSpec.from_lines([pattern])
    except Exception as exc:  # pathspec raises various errors for bad patterns
        return str(exc) or type(exc).__name__
    if not spec.patterns or all(p.include is None for p in spec.patterns):
        return "it matches nothing"
    return None


def globs_problem(patterns: tuple[str, ...]) -> str | None:
    """Why ``patterns`` cannot be matched together (one automaton holds them all, and a
    repository's list must not crash or stall whoever compiles it), or None."""
    if not patterns:
        return None
    try:
        import pathspec

        pathspec.GitIgnoreSpec.from_lines(patterns)
    except Exception as exc:  # RE2 refuses a set past its memory budget
        return f"together they are too many or too complex to match ({exc or type(exc).__name__})"
    return None


#: A settings table: frozen, fields by keyword, ``repr``/``==``/``hash`` from
#: :class:`~genguard.values.FrozenValue` (not compiled for each table).
_table = dataclass(frozen=True, kw_only=True, repr=False, eq=False)


def _module_problem(name: str) -> str | None:
    return "it contains whitespace" if any(c.isspace() for c in name) else None


def _globs(**spec: Any) -> Strings:
    return Strings(
        entry=glob_problem,
        what="a valid glob",
        max_items=MAX_GLOBS,
        together=globs_problem,
        **spec,
    )


@_table
class HeuristicSettings(FrozenValue):
    """Thresholds for treating an unattributed insertion as AI-written.

    An insertion becomes a heuristic AI chunk when it spans at least
    ``min_lines`` lines *and* holds at least ``min_chars`` non-blank characters;
    both must hold so that ordinary typing and small pastes are not flagged.
    Editors learn both (``genguard/settings``) so their own guesses agree.
    """

    min_lines: int = option(
        2,
        kind=Int(minimum=1),
        editor=True,
        help="An unattributed insertion needs at least this many lines to count as an AI chunk ...",
    )
    min_chars: int = option(
        40,
        kind=Int(minimum=0),
        editor=True,
        help="... and at least this many non-blank characters.",
    )


#: Turning rules off or down one by one would empty an organisation's floor packs.
_PACKS_LOCK = Lock(("rules", "packs"), "disable rules or change their severity")


@_table
class RuleSettings(FrozenValue):
    """Which policy rules run, and at what severity."""

    packs: tuple[str, ...] = option(
        DEFAULT_PACKS,
        kind=Strings(),
        floor=True,
        help="Rule packs to load.",
    )
    disable: tuple[str, ...] = option(
        (),
        kind=Strings(),
        lock=_PACKS_LOCK,
        help="Rule ids turned off. Wins over `rules.enable`.",
    )
    enable: tuple[str, ...] = option(
        (),
        kind=Strings(),
        help="Rule ids turned on even if their pack is not listed in `rules.packs`.",
    )
    # Excluded from hashing because mapping proxies are unhashable; equality
    # still compares it, which keeps hash/eq consistent.
    severity: Mapping[str, Severity] = option(
        {},
        kind=Levels(SEVERITIES, suffix="<rule-id>"),
        doc_default="rule's own",
        lock=_PACKS_LOCK,
        help="Per-rule severity override.",
    )
    repository: bool = option(
        True,
        kind=Bool(),
        help="Load the repository's own rules from `.genguard/rules/*.yaml` (pack `repository`).",
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


@_table
class CacheSettings(FrozenValue):
    """Result cache; disabling it trades speed for never reusing stale results."""

    enabled: bool = option(True, kind=Bool(), help="Reuse check results for unchanged code.")


@_table
class LedgerSettings(FrozenValue):
    """Provenance ledger of attributed chunks and their review state."""

    enabled: bool = option(
        True,
        kind=Bool(),
        floor=True,
        help="Record attributed chunks and their review state in the provenance ledger.",
    )
    require_anchored: bool = option(
        False,
        kind=Bool(),
        floor=True,
        help="`genguard verify` fails (as `--strict` does) on ledger records no commit note"
        " vouches for: work not committed yet, or a tail cut after the last commit.",
    )


@_table
class HookSettings(FrozenValue):
    """The git hooks (``genguard install-hooks``): how strict, and how long they may take.

    How long a hook may take and what its failure does are the user's or the
    organisation's call: a repository that could set them could make every
    commit time out and go through unchecked.
    """

    require_review: str = option(
        "warn",
        kind=Choice(REQUIRE_REVIEW, ordered=True),
        floor=True,
        help="Git hooks (`genguard install-hooks`): what the pre-commit gate does about"
        ' unreviewed AI code being committed: `"warn"` prints a warning, `"block"`'
        ' refuses the commit, `"off"` says nothing. See [git.md](git.md).',
    )
    timeout: float = option(
        DEFAULT_HOOK_TIMEOUT,
        kind=Seconds(600),
        trust="user",
        help="The most time any one genguard git hook may take; past it the hook stops"
        " (see `hooks.fail_mode`).",
    )
    fail_mode: str = option(
        "open",
        kind=Choice(FAIL_MODES),
        trust="user",
        help='When a hook hits an internal error or its timeout: `"open"` lets the'
        ' commit go ahead with a warning, `"closed"` refuses it. Findings in staged'
        " AI code block either way.",
    )

    @property
    def fail_closed(self) -> bool:
        """A failing hook refuses the commit."""
        return self.fail_mode == "closed"


@_table
class SigningSettings(FrozenValue):
    """Signing of commit notes, and the keys signatures are trusted from: both name
    identities, so only the user or the organisation sets them."""

    key: str | None = option(
        None,
        kind=Text("path"),
        trust="user",
        help="SSH key that signs commit notes (`ssh-keygen -Y sign -n genguard`). Unset:"
        " git's `user.signingkey` when `gpg.format = ssh`; otherwise notes are unsigned.",
    )
    allowed_signers: str | None = option(
        None,
        kind=Text("path"),
        trust="user",
        help="Allowed-signers file (`ssh-keygen` format) that `genguard verify` checks note"
        " signatures against; unset: git's `gpg.ssh.allowedSignersFile`.",
    )

    def __post_init__(self) -> None:
        _set(self, "key", self.key or None)
        _set(self, "allowed_signers", self.allowed_signers or None)


@_table
class ScanSettings(FrozenValue):
    """``genguard scan``: what a repository scan leaves out."""

    exclude: tuple[str, ...] = option(
        (),
        kind=Strings(max_items=MAX_GLOBS, together=globs_problem),
        lock=Lock(
            ("scan", "repository_excludes"),
            "leave files out of scans",
            when="ignore",
            open_to=("organisation", "user"),
        ),
        help="Gitignore-style globs (relative to the workspace root) that `genguard scan`"
        " leaves out, on top of `.gitignore`. A file with live AI chunks is checked"
        " whatever they say, and the scan counts the files they left out.",
    )
    repository_excludes: str = option(
        "apply",
        kind=Choice(("apply", "ignore"), ordered=True),
        floor=True,
        help='`"ignore"`: a repository\'s own `scan.exclude` is refused (only the'
        " organisation's and the user's apply). An organisation sets it so that no"
        " repository can hide its files from `genguard scan`.",
    )
    max_file_bytes: int = option(
        DEFAULT_MAX_FILE_BYTES,
        kind=Int(minimum=1),
        doc_default="`2097152` (2 MB)",
        help="`genguard scan` skips larger files with a note in its summary.",
    )
    skip_vendored: bool = option(
        True,
        kind=Bool(),
        help="`genguard scan` leaves out vendored and minified code: `node_modules/`,"
        " `vendor/`, `bower_components/`, `*.min.js`, `*.min.css`, and files whose lines"
        " average over 500 bytes with one over 4 KB. Counted in the summary; a file with"
        " live AI chunks is checked anyway; `false` checks them all.",
    )

    def __post_init__(self) -> None:
        _set(self, "exclude", _str_tuple(self.exclude))


@_table
class GovernanceSettings(FrozenValue):
    """Organisation policy for AI-written code, checked per AI chunk.

    Each check stays quiet until configured, except the chunk size limit: one AI
    act writing hundreds of lines is rarely reviewed line by line.
    """

    protected_paths: tuple[str, ...] = option(
        (),
        kind=_globs(),
        help="Gitignore-style globs (relative to the workspace root, no `!` negations)."
        " AI-written code in a matching file is an error until its chunk is reviewed.",
    )
    approved_models: tuple[str, ...] = option(
        (),
        kind=Strings(),
        help="Empty means any model; otherwise AI chunks whose declared model matches none"
        ' of these (`*` globs allowed, e.g. `"gpt-4o*"`) are flagged, and so are chunks'
        " with no declared model.",
    )
    max_chunk_lines: int = option(
        DEFAULT_MAX_CHUNK_LINES,
        kind=Int(minimum=0, off="turns the limit off"),
        help="An unreviewed AI chunk longer than this many lines is flagged; `0` turns the"
        " limit off.",
    )
    banned_imports: tuple[str, ...] = option(
        (),
        kind=Strings(entry=_module_problem, what="a module or package name"),
        help="Modules or packages AI code must not import (Python, JavaScript/TypeScript,"
        ' Go, Java). An entry also covers what is below it: `"yaml"` covers'
        ' `yaml.constructor`, `"lodash"` covers `lodash/fp`.',
    )
    license_header: str | None = option(
        None,
        kind=Text(newlines_only=True),
        help="When set, an AI chunk that starts a new file must have these lines (in order,"
        " any comment style) within the file's first lines.",
    )

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


@_table
class AgentRiskSettings(FrozenValue):
    """The ``agent-risk`` pack's checks (failure modes of AI coding tools)."""

    guardrail_globs: tuple[str, ...] = option(
        DEFAULT_GUARDRAIL_GLOBS,
        kind=_globs(),
        doc_default="CI workflows and pipelines, commit hooks, `.genguard.toml` and"
        " `.genguard/**`, `CODEOWNERS`, lockfiles, `**/auth/**`, `**/auth.*`,"
        " `**/crypto/**`, `**/crypto.*` and similar (the full list is"
        " `DEFAULT_GUARDRAIL_GLOBS` in `genguard.config.settings`)",
        help="Gitignore-style globs (relative to the workspace root, no `!` negations) of"
        " guard-rail files: any AI edit to one is flagged for review (`agent-guardrail-edit`)"
        " until its chunk is reviewed. A value replaces the default list.",
    )
    max_files_per_checkpoint: int = option(
        DEFAULT_MAX_FILES_PER_CHECKPOINT,
        kind=Int(minimum=0, off="turns the limit off"),
        help="One agent checkpoint (`genguard record`) that changes more files than this is"
        " flagged (`agent-broad-checkpoint`); `0` turns it off. The size of one AI edit is"
        " limited by `governance.max_chunk_lines` (removed plus inserted lines,"
        " `agent-broad-change`).",
    )

    def __post_init__(self) -> None:
        _set(self, "guardrail_globs", _str_tuple(self.guardrail_globs))


@_table
class TelemetrySettings(FrozenValue):
    """Live export of ledger events to an OpenTelemetry collector (OTLP/HTTP), off by
    default. Transport, not policy: left out of :meth:`Settings.fingerprint`, so turning
    it on never changes the policy hash recorded with commits. Where events (and the
    user's collector credentials) go is never a repository's choice."""

    enabled: bool = option(
        False,
        kind=Bool(),
        trust="user",
        policy=False,
        help="Stream ledger events from the editor to an OpenTelemetry collector"
        " (`telemetry.otlp_endpoint`), from a background thread with a bounded queue: a"
        " collector that is down costs the editor nothing and is reported once per outage."
        " See [compliance.md](compliance.md).",
    )
    otlp_endpoint: str | None = option(
        None,
        kind=Url(),
        trust="user",
        policy=False,
        help='OTLP/HTTP collector, e.g. `"http://localhost:4318"` (`/v1/logs` is added'
        " when the URL has no path). Headers such as credentials come from"
        " `OTEL_EXPORTER_OTLP_HEADERS`, never from a configuration file.",
    )

    def __post_init__(self) -> None:
        _set(self, "otlp_endpoint", self.otlp_endpoint or None)


@_table
class Settings(FrozenValue):
    """The complete genguard configuration for one workspace."""

    scope: Scope = option(
        "ai",
        kind=Choice(SCOPES),
        help='`"ai"` checks only AI-attributed code; `"all"` checks the whole file.',
    )
    unreviewed_diagnostic: bool = option(
        True,
        kind=Bool(),
        floor=True,
        help="Show one information diagnostic on each AI chunk not yet reviewed.",
    )
    approved_tools: tuple[str, ...] = option(
        (),
        kind=Strings(),
        help="Empty means any tool is accepted; otherwise AI chunks from other tools are flagged.",
    )
    reviewer: str | None = option(
        None,
        kind=Text(),
        trust="user",
        help="Reviewer identity recorded on review; empty means `git config user.email`.",
    )
    heuristics: HeuristicSettings = section(HeuristicSettings)
    rules: RuleSettings = section(RuleSettings)
    cache: CacheSettings = section(CacheSettings)
    ledger: LedgerSettings = section(LedgerSettings)
    governance: GovernanceSettings = section(GovernanceSettings)
    scan: ScanSettings = section(ScanSettings)
    hooks: HookSettings = section(HookSettings)
    signing: SigningSettings = section(SigningSettings)
    telemetry: TelemetrySettings = section(TelemetrySettings)
    agent_risk: AgentRiskSettings = section(AgentRiskSettings)

    def __post_init__(self) -> None:
        _set(self, "approved_tools", _str_tuple(self.approved_tools))
        # An empty reviewer means "use the default identity", same as unset.
        _set(self, "reviewer", self.reviewer or None)

    @classmethod
    def default(cls) -> Settings:
        """The settings used when no configuration exists or it is unusable."""
        return cls()

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-serialisable view of every key (tuples as lists, mappings as dicts)."""
        return plain(self)

    def fingerprint(self) -> str:
        """SHA-256 of a canonical JSON dump of the policy keys: equal settings give
        equal digests. Stable across processes (unlike ``hash``), so it can key caches
        on disk; transport and speed keys (``policy=False``) are left out."""
        canonical = json.dumps(
            plain(self, only=lambda o: o.policy),
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        )
        from genguard.digest import sha256

        return sha256(canonical.encode("utf-8")).hexdigest()
