"""Guard-rail edits: AI changes to the files that keep the project's checks in place.

CI workflows, commit hooks, the guard's own configuration, code owners,
lockfiles and authentication or crypto modules decide what every later change
is checked against. An agent that is stuck on a failing check can "fix" the
pipeline instead of the code: so any AI edit there asks for review, and in CI
and hook files the edits that make a failing step pass (``|| true``,
``continue-on-error: true``, ``--no-verify``, a removed test or lint step) are
errors. Diff-aware: only what the edit added, or removed, counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pathspec

from genguard.config.settings import CI_GLOBS

_CI_SPEC = pathspec.GitIgnoreSpec.from_lines(CI_GLOBS)

WEAKENERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("`|| true` hides a failing command", re.compile(r"\|\|\s*(?:true|:|exit\s+0|echo\b)")),
    ("`continue-on-error: true`", re.compile(r"\bcontinue-on-error:\s*['\"]?true\b")),
    ("`allow_failure: true`", re.compile(r"\ballow_failure:\s*true\b")),
    ("`--no-verify` skips the commit hooks", re.compile(r"(?<![\w-])--no-verify\b")),
    (
        "a step or job switched off with `if: false`",
        re.compile(r"^\s*-?\s*if:\s*(?:false|\$\{\{\s*false\s*\}\})\s*$"),
    ),
    ("`when: never` / `when: manual`", re.compile(r"^\s*-?\s*when:\s*(?:never|manual)\b")),
    ("`set +e` ignores failures", re.compile(r"\bset\s+\+e\b")),
    ("`--exit-zero` makes the linter always pass", re.compile(r"--exit-zero\b")),
    ("`SKIP=` / `HUSKY=0` turns hooks off", re.compile(r"(?:^|\s)(?:SKIP=[\w,-]+|HUSKY=0)\b")),
    (
        "a scanner told not to fail (`exit-code: 0`, `soft_fail`)",
        re.compile(r"\b(?:exit-code:\s*['\"]?0['\"]?\s*$|soft_fail:\s*true)"),
    ),
)
"""Additions to CI and hook files that make a failing check pass."""

_CHECK_TOOLS = re.compile(
    r"\b(pytest|tox|nox|unittest|jest|vitest|mocha|playwright|cypress|go\s+test|go\s+vet|"
    r"cargo\s+test|cargo\s+clippy|mvn\b[^\n]*\b(?:test|verify)|gradle\w*\b[^\n]*\b(?:test|check)|"
    r"(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?(?:test|lint|check|typecheck|audit)|ruff|flake8|pylint|mypy|"
    r"pyright|black\s+--check|isort\s+--check|eslint|tsc|prettier\s+--check|golangci-lint|"
    r"staticcheck|bandit|semgrep|codeql|trivy|snyk|grype|pip-audit|safety|gitleaks|trufflehog|"
    r"detect-secrets|genguard|pre-commit\s+run|lint-staged|make\s+(?:test|check|lint)|"
    r"commitlint|hadolint|shellcheck|checkov|tfsec)"
)
_TWO_WORD_TOOLS = frozenset(
    {
        "go",
        "cargo",
        "npm",
        "yarn",
        "pnpm",
        "bun",
        "make",
        "pre-commit",
        "black",
        "isort",
        "prettier",
    }
)
_PRECOMMIT_HOOK = re.compile(r"^\s*-\s*id:\s*([\w.-]+)")
_ACTION_CHECK = re.compile(
    r"\buses:\s*([\w.-]+/[\w.-]*(?:lint|test|scan|codeql|audit|check|semgrep|trivy|snyk|gitleaks|security)[\w./-]*)",
    re.IGNORECASE,
)


def is_ci_file(path: str) -> bool:
    """Pipelines and commit-hook configurations (where weakening edits are errors)."""
    return bool(_CI_SPEC.match_file(path))


def _code(line: str, path: str) -> str:
    """The line without its comment (``#`` in YAML and shell, ``//`` in a Jenkinsfile)."""
    if PurePosixPath(path).name == "Jenkinsfile":
        return line.split("//", 1)[0]
    stripped = line.lstrip()
    if stripped.startswith("#"):
        return ""
    return re.split(r"\s#", line, maxsplit=1)[0]


def _checks(lines: Sequence[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for line in lines:
        for m in _CHECK_TOOLS.finditer(line):
            words = [w for w in m.group(1).split() if w != "run"]
            key = " ".join(words[:2]) if words[0] in _TWO_WORD_TOOLS else words[0]
            found[key.removesuffix("w")] += 1
        hook = _PRECOMMIT_HOOK.match(line)
        if hook:
            found[f"hook {hook.group(1)}"] += 1
        action = _ACTION_CHECK.search(line)
        if action:
            found[f"action {action.group(1).split('@')[0]}"] += 1
    return found


@dataclass(frozen=True, slots=True)
class CiWeakening:
    """One weakening edit; ``line`` is 0-based in the inserted text (-1: it is a removal)."""

    detail: str
    line: int = -1


@dataclass
class GuardrailSpec:
    """Compiled guard-rail globs (gitignore-style, workspace-relative)."""

    globs: tuple[str, ...] = ()
    _spec: pathspec.PathSpec | None = field(default=None, repr=False)
    _cache: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, globs: Sequence[str]) -> GuardrailSpec:
        kept = []
        for g in globs:
            try:
                pathspec.GitIgnoreSpec.from_lines([g])
            except Exception:  # reported by the configuration loader
                continue
            kept.append(g)
        return cls(tuple(kept), pathspec.GitIgnoreSpec.from_lines(kept) if kept else None)

    def match(self, path: str) -> str | None:
        """The glob ``path`` falls under, if any."""
        if self._spec is None:
            return None
        if path not in self._cache:
            result = self._spec.check_file(path)
            hit = self.globs[result.index] if result.include and result.index is not None else None
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[path] = hit
        return self._cache[path]


def ci_weakening(before: str | None, after: str, path: str) -> list[CiWeakening]:
    """What an edit of a CI or hook file did to make failing checks pass."""
    old = [_code(x, path) for x in (before or "").splitlines()]
    raw = after.splitlines()
    new = [_code(x, path) for x in raw]
    out: list[CiWeakening] = []
    for detail, pattern in WEAKENERS:
        had = sum(1 for x in old if pattern.search(x))
        lines = [i for i, x in enumerate(new) if pattern.search(x)]
        if len(lines) > had:
            out.append(CiWeakening(f"adds {detail}", lines[had]))
    if before:
        lost = _checks(old) - _checks(new)
        if lost:
            names = ", ".join(sorted(lost))
            out.append(CiWeakening(f"removes check step(s): {names}"))
    return out
