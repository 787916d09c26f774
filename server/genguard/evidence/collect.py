"""What happened in an audit period: every commit with its note, findings, bypasses and the ledger.

The per-commit rows are the population an auditor samples from, so every
figure in the report is a sum over them and nothing is estimated. Notes are
read through the same loaders as ``genguard stats`` and ``blame`` (several
merged note objects read as one note); a commit without a note is kept as a row
that says so, with git's own count of added lines and no AI lines.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from genguard.evidence.period import Period, iso
from genguard.gitio.history import GitError, added_lines_by_file, has_commits, run_git
from genguard.ledger.records import COMMIT_BYPASSED
from genguard.ledger.store import Ledger, ledger_path
from genguard.ledger.verify import verify as verify_chain
from genguard.notes.format import Note
from genguard.report.blame import NoteCache

#: How the rule packs name frameworks, and how people do.
FRAMEWORKS: dict[str, str] = {
    "soc2": "SOC 2",
    "nist_ai_rmf": "NIST AI RMF",
    "iso42001": "ISO/IEC 42001",
}

_FIELD = "\x1f"
_LOG_FORMAT = _FIELD.join(("%H", "%P", "%an", "%ae", "%ct", "%s"))


def control_label(framework: str, control: str) -> str:
    """``SOC 2 CC8.1`` from a rule's ``controls`` key and id."""
    return f"{FRAMEWORKS.get(framework, framework)} {control}"


@dataclass(slots=True)
class FindingRow:
    """One finding of one commit's note and how it was handled."""

    commit: str
    file: str
    line: int
    rule: str
    severity: str
    cwe: list[str]
    handling: str  # open | suppressed | fixed
    reason: str | None = None
    by: str | None = None
    controls: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for the CSV: where, what, and how it was handled."""
        what = f"{self.rule} {self.file}:{self.line} [{self.severity}"
        what += f"; {', '.join(self.cwe)}]" if self.cwe else "]"
        if self.handling == "suppressed":
            by = self.by or "unknown"
            return f"{what} suppressed by {by}: {self.reason or '(no reason recorded)'}"
        return f"{what} {self.handling}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit,
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "severity": self.severity,
            "cwe": list(self.cwe),
            "handling": self.handling,
            "reason": self.reason,
            "by": self.by,
            "controls": list(self.controls),
        }


@dataclass(slots=True)
class ChangeRow:
    """One commit of the period: who, when, how much AI, reviewed, findings, bypass, note."""

    commit: str
    date: datetime  # committer date, UTC
    author_name: str
    author_email: str
    subject: str
    parents: int
    added_lines: int = 0
    ai_lines: int = 0
    reviewed_ai_lines: int = 0
    tools: dict[str, int] = field(default_factory=dict)  # "tool/model" -> AI lines
    tools_reviewed: dict[str, int] = field(default_factory=dict)  # "tool/model" -> reviewed
    reviewers: list[str] = field(default_factory=list)
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # path -> (added, AI)
    findings: list[FindingRow] = field(default_factory=list)
    note: str = "missing"  # present | missing | malformed
    note_error: str | None = None
    note_author: str | None = None
    signed: bool = False
    signature: str = "unsigned"  # verified | unverified | unsigned (report.audit)
    policy_hash: str | None = None
    ledger_head: str | None = None
    bypass_note: bool = False
    bypass_ledger: bool = False
    gate_blocked: bool = False  # the ledger says the gate had refused this very tree

    @property
    def bypass(self) -> bool:
        return self.bypass_note or self.bypass_ledger

    @property
    def bypass_source(self) -> str:
        return "+".join(
            s for s, on in (("note", self.bypass_note), ("ledger", self.bypass_ledger)) if on
        )

    @property
    def reviewed(self) -> str:
        """``yes`` (every AI line reviewed), ``partial``, ``no``, or ``n/a`` (no AI lines)."""
        if not self.ai_lines:
            return "n/a"
        if self.reviewed_ai_lines >= self.ai_lines:
            return "yes"
        return "partial" if self.reviewed_ai_lines else "no"

    @property
    def open_findings(self) -> int:
        return sum(1 for f in self.findings if f.handling == "open")

    def tools_text(self) -> str:
        return "; ".join(f"{k}: {n}" for k, n in self.tools.items())


@dataclass(slots=True)
class LedgerInfo:
    """The ledger as it stands, and its head at the end of the period."""

    present: bool
    head: str | None = None
    records: int = 0
    chain_ok: bool | None = None
    reason: str | None = None
    first_bad: int | None = None
    head_at_until: str | None = None
    bypassed: dict[str, dict[str, Any]] = field(default_factory=dict)  # commit -> event data

    def to_dict(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "head": self.head,
            "records": self.records,
            "chain_ok": self.chain_ok,
            "reason": self.reason,
            "first_bad_line": self.first_bad,
            "head_at_period_end": self.head_at_until,
        }


@dataclass(slots=True)
class RepoInfo:
    name: str
    remote: str | None
    head: str | None
    branch: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "remote": self.remote, "head": self.head, "branch": self.branch}


@dataclass(slots=True)
class Evidence:
    """Everything the bundle is made from (pure data; writing it is :mod:`.bundle`'s job)."""

    repo: RepoInfo
    period: Period
    revrange: str
    rows: list[ChangeRow]
    ledger: LedgerInfo
    policy_hash: str | None
    policy_error: str | None
    ruleset: Any  # genguard.rules.loader.RuleSet, or None when the rules could not load
    created: str
    version: str
    commits_in_range: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def first(self) -> str | None:
        return self.rows[0].commit if self.rows else None

    @property
    def last(self) -> str | None:
        return self.rows[-1].commit if self.rows else None

    @property
    def policy_hashes(self) -> dict[str, int]:
        """Policy hashes the period's notes recorded, with how many commits each."""
        seen = Counter(r.policy_hash for r in self.rows if r.policy_hash)
        return dict(seen.most_common())

    def range_dict(self) -> dict[str, Any]:
        return {
            "revrange": self.revrange,
            "commits": len(self.rows),
            "commits_in_revrange": self.commits_in_range,
            "first": self.first,
            "last": self.last,
        }


def safe_remote(url: str | None) -> str | None:
    """A remote URL without user name or password (a token in an https URL is a secret)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme and parts.netloc and "@" in parts.netloc:
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return url


def _git_value(repo: Path, *args: str) -> str | None:
    proc = run_git(repo, *args, check=False)
    value = proc.stdout.decode("utf-8", "replace").strip()
    return value if proc.returncode == 0 and value else None


def repo_info(repo: Path) -> RepoInfo:
    return RepoInfo(
        name=repo.name,
        remote=safe_remote(_git_value(repo, "config", "--get", "remote.origin.url")),
        head=_git_value(repo, "rev-parse", "--verify", "-q", "HEAD"),
        branch=_git_value(repo, "symbolic-ref", "--short", "-q", "HEAD"),
    )


def log_commits(repo: Path, revrange: str | None) -> list[ChangeRow]:
    """Every commit of ``revrange`` (default HEAD), oldest first, with author and subject.

    Raises GitError naming the range when git does not understand it.
    """
    if revrange is None and not has_commits(repo):
        raise GitError("the repository has no commits yet")
    spec = revrange or "HEAD"
    if any(part.startswith("-") for part in spec.split()):
        raise GitError(f"bad revision range {spec!r}: options are not revisions")
    try:
        raw = run_git(
            repo, "log", "-z", "--reverse", f"--format={_LOG_FORMAT}", *spec.split(), "--"
        ).stdout.decode("utf-8", "surrogateescape")
    except GitError as exc:
        raise GitError(f"bad revision range {spec!r}: {exc}") from exc
    rows: list[ChangeRow] = []
    for record in raw.split("\0"):
        parts = record.strip("\n").split(_FIELD)
        if len(parts) != 6:
            continue
        sha, parents, name, email, stamp, subject = parts
        rows.append(
            ChangeRow(
                commit=sha,
                date=datetime.fromtimestamp(int(stamp), UTC),
                author_name=name,
                author_email=email,
                subject=subject,
                parents=len(parents.split()),
            )
        )
    return rows


def first_noted(repo: Path, revrange: str | None) -> datetime | None:
    """Committer date of the oldest commit of ``revrange`` with a genguard note: where a
    default audit period starts (genguard saw nothing before it)."""
    from genguard.gitio.notes import noted_commits

    noted = noted_commits(repo)
    if not noted:
        return None
    return next((row.date for row in log_commits(repo, revrange) if row.commit in noted), None)


def read_ledger(path: Path, period: Period) -> LedgerInfo:
    """Chain status, head, head at the period's end, and the ``commit.bypassed`` records."""
    if not path.is_file():
        return LedgerInfo(present=False)
    result = verify_chain(path)
    info = LedgerInfo(
        present=True,
        chain_ok=result.ok,
        reason=result.reason,
        first_bad=result.first_bad,
        head=Ledger(path).head(),
    )
    for rec in Ledger(path).records():
        info.records += 1
        moment = _time(rec.get("time"))
        if moment is not None and moment <= period.until and isinstance(rec.get("hash"), str):
            info.head_at_until = rec["hash"]
        data = rec.get("data")
        if rec.get("event") == COMMIT_BYPASSED and isinstance(data, dict):
            commit = data.get("commit")
            if isinstance(commit, str):
                info.bypassed[commit] = data
    return info


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


class RuleIndex:
    """Controls of each rule id: the rules in force first, then every built-in pack.

    A finding may come from a rule that is no longer enabled; its mapping is
    still in the built-in packs, so it is looked up there rather than lost.
    """

    def __init__(self, *rulesets: Any) -> None:
        self._controls: dict[str, list[str]] = {}
        for ruleset in rulesets:
            for rule in getattr(ruleset, "rules", ()):
                if rule.id in self._controls:
                    continue
                self._controls[rule.id] = [
                    control_label(fw, c) for fw, ids in sorted(rule.controls.items()) for c in ids
                ]

    def controls(self, rule_id: str) -> list[str]:
        return list(self._controls.get(rule_id, []))


def _apply_note(row: ChangeRow, note: Note, rules: RuleIndex) -> None:
    row.note = "present"
    row.note_author = note.author
    row.signed = note.signature is not None
    row.policy_hash = note.policy_hash
    row.ledger_head = note.ledger_head
    row.bypass_note = note.bypass
    reviewers: dict[str, None] = {}
    for path, entry in note.files.items():
        row.files[path] = (entry.added_lines, entry.ai_lines)
        row.added_lines += entry.added_lines
        row.ai_lines += entry.ai_lines
        for r in entry.ranges:
            key = f"{r.tool}/{r.model}" if r.model else r.tool
            row.tools[key] = row.tools.get(key, 0) + r.lines
            if r.status == "reviewed":
                row.reviewed_ai_lines += r.lines
                row.tools_reviewed[key] = row.tools_reviewed.get(key, 0) + r.lines
                if r.reviewer:
                    reviewers[r.reviewer] = None
    row.reviewers = list(reviewers)
    row.findings = [
        FindingRow(
            commit=row.commit,
            file=f.file,
            line=f.line,
            rule=f.rule,
            severity=f.severity,
            cwe=list(f.cwe),
            handling=f.handling,
            reason=f.reason,
            by=f.by,
            controls=rules.controls(f.rule),
        )
        for f in note.findings
    ]


def load_policy(repo: Path) -> tuple[Any, str | None, str | None, Any]:
    """(rules in force, policy hash, error, every built-in rule) as the hooks compute them."""
    from genguard.cache.rules import policy_hash, workspace_rules
    from genguard.config.loader import load_settings
    from genguard.rules.loader import load_rules

    try:
        builtin = load_rules(None)
    except Exception:  # a broken install still yields evidence, said plainly
        builtin = None
    try:
        settings = load_settings(repo).settings
        ruleset = workspace_rules(repo, settings)
        return ruleset, policy_hash(settings, ruleset.version), None, builtin
    except Exception as exc:
        return None, None, f"the policy could not be loaded: {exc}", builtin


def collect(
    repo: Path,
    period: Period,
    revrange: str | None = None,
    *,
    ledger: Path | None = None,
    now: datetime | None = None,
) -> Evidence:
    """Gather the evidence for ``period`` over ``revrange`` (default HEAD) in ``repo``.

    Raises GitError for a range git cannot read.
    """
    import genguard

    every = log_commits(repo, revrange)
    rows = [r for r in every if period.contains(r.date)]
    ruleset, policy, policy_error, builtin = load_policy(repo)
    rules = RuleIndex(ruleset, builtin)
    ledger_info = read_ledger(ledger or ledger_path(repo), period)

    notes = NoteCache(repo)
    notes.prefetch(r.commit for r in rows)
    unnoted: list[str] = []
    for row in rows:
        note = notes.get(row.commit)
        if note is not None:
            _apply_note(row, note, rules)
            row.signature = notes.trust(row.commit) or "unsigned"
        else:
            if row.commit in notes.errors:
                row.note, row.note_error = "malformed", notes.errors[row.commit]
            unnoted.append(row.commit)
        if row.commit in ledger_info.bypassed:
            row.bypass_ledger = True
            row.gate_blocked = bool(ledger_info.bypassed[row.commit].get("gate_blocked_this_tree"))
    numstat = added_lines_by_file(repo, unnoted)
    for row in rows:
        if row.note != "present":
            for path, n in numstat.get(row.commit, {}).items():
                row.files[path] = (n, 0)
                row.added_lines += n

    evidence = Evidence(
        repo=repo_info(repo),
        period=period,
        revrange=revrange or "HEAD",
        rows=rows,
        ledger=ledger_info,
        policy_hash=policy,
        policy_error=policy_error,
        ruleset=ruleset,
        created=iso((now or datetime.now(UTC)).replace(microsecond=0)),
        version=str(genguard.__version__),
        commits_in_range=len(every),
    )
    if policy_error:
        evidence.warnings.append(policy_error)
    if not ledger_info.present:
        evidence.warnings.append(
            "no ledger in this clone: bypasses are taken from the notes alone and the ledger "
            "head is not recorded (the ledger stays in the clone that recorded it)"
        )
    elif not ledger_info.chain_ok:
        evidence.warnings.append(
            f"the ledger's hash chain is broken at line {ledger_info.first_bad}: "
            f"{ledger_info.reason} (run 'genguard verify')"
        )
    malformed = [r.commit for r in rows if r.note == "malformed"]
    if malformed:
        evidence.warnings.append(
            f"{len(malformed)} malformed note(s), counted as commits without a note: "
            + ", ".join(c[:10] for c in malformed[:5])
        )
    return evidence
