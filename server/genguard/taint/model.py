"""The taint rules of one language compiled into lookup tables for the engine.

Rules share most of their sources and sanitizers (rule files reuse them through
YAML anchors), so equal entries get one index: a single pass over a file serves
every taint rule, and each trace records which sanitizers it went through by
index; a rule then asks only whether one of *its* sanitizers is among them.
"""

from __future__ import annotations

import contextlib
import re
import re._constants as sre  # Python's parser of regular expressions (see _reach)
import re._parser as parser
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from genguard.rules.model import Rule
from genguard.taint.spec import NamePattern, NameSet, Propagator, Sanitizer, Sink, Source
from genguard.text.buffer import envelop

MAX_SUMMARIES = 4096
"""Function summaries kept per rule set (oldest dropped first)."""
MAX_CACHED = 65536
"""Entries of a model's smaller caches (mention keys, aliases' rules) before they are
emptied: a scan of many files asks for many."""


@dataclass(slots=True)
class RuleEntry:
    rule: Rule
    sources: frozenset[int]
    sanitizers: frozenset[int]
    unknown: str
    words: frozenset[str] = frozenset()  # text every mention of one of its sinks contains
    conditions: frozenset[int] = frozenset()
    """Sources that only qualify a sink (``when_from``: a parser made to resolve
    entities), never data that reaches one; they are not in ``sources``."""


@dataclass(slots=True)
class TaintModel:
    """Every taint rule for one language, indexed for the engine."""

    rules: list[RuleEntry] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    sanitizers: list[Sanitizer] = field(default_factory=list)
    source_names: NameSet = field(default_factory=lambda: NameSet([]))
    decorated_sources: list[tuple[NamePattern, int]] = field(default_factory=list)
    first_param_sources: dict[str, int] = field(default_factory=dict)
    identifier_sources: list[tuple[Any, int]] = field(default_factory=list)
    conditional_sources: bool = False
    """Whether a call source holds only with given arguments or marks its receiver
    (then each call of one checks them)."""
    based_sources: bool = False
    """Whether a source holds only in classes with given bases (then each lookup checks)."""
    sanitizer_names: NameSet = field(default_factory=lambda: NameSet([]))
    guard_names: NameSet = field(default_factory=lambda: NameSet([]))
    membership: list[int] = field(default_factory=list)
    sink_calls: NameSet = field(default_factory=lambda: NameSet([]))
    return_sinks: list[tuple[int, Sink]] = field(default_factory=list)
    store_sinks: NameSet = field(default_factory=lambda: NameSet([]))
    assign_sinks: list[tuple[Any, int, Sink]] = field(default_factory=list)
    propagators: NameSet = field(default_factory=lambda: NameSet([]))
    probes: list[Any] = field(default_factory=list)
    """Per source: RE2 that a file holding it must match (None: any file may)."""
    mentions: list[Any] = field(default_factory=list)
    """Per source: RE2 that a function reading it must match (None: any may)."""
    _finders: dict[frozenset[int], Any] = field(default_factory=dict)
    _aliased: dict[tuple[str, frozenset[int]], frozenset[int]] = field(default_factory=dict)
    _keys: dict[bytes, str] = field(default_factory=dict)  # see mention_key
    _probe_set: tuple[Any, tuple[int, ...], list[int]] | None = None
    _reaches: tuple[list[int | None], int] | None = None
    summaries: dict[Any, Any] = field(default_factory=dict)
    """Function summaries by what they depend on (see the front end's summary key),
    offsets relative to the function: an editor's next check reuses them."""

    def remember(self, key: Any, summary: Any) -> None:
        if len(self.summaries) >= MAX_SUMMARIES:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):  # other threads
                self.summaries.pop(next(iter(self.summaries)))
        self.summaries[key] = summary

    @classmethod
    def build(cls, rules: list[Rule]) -> TaintModel:
        from genguard.rules.loader import compile_regex

        model = cls()
        source_index: dict[Source, int] = {}
        sanitizer_index: dict[Sanitizer, int] = {}
        names: list[tuple[NamePattern, int]] = []
        san_names: list[tuple[NamePattern, int]] = []
        guards: list[tuple[NamePattern, int]] = []
        sinks: list[tuple[NamePattern, tuple[int, Sink]]] = []
        stores: list[tuple[NamePattern, tuple[int, Sink]]] = []
        props: list[tuple[NamePattern, Propagator]] = []
        for rule in rules:
            spec = rule.taint
            if spec is None:
                continue
            r = len(model.rules)
            srcs: set[int] = set()
            conds: set[int] = set()
            condition_labels = {
                label for sink in spec.sinks for ls in sink.when_from.values() for label in ls
            }
            for source in spec.sources:
                index = source_index.get(source)
                if index is None:
                    index = source_index[source] = len(model.sources)
                    model.sources.append(source)
                    model.probes.append(_probe(source))
                    model.mentions.append(_mentions(source))
                    if source.bases:
                        model.based_sources = True
                    if source.when or source.unless or source.receiver:
                        model.conditional_sources = True
                    names += [(n, index) for n in source.names]
                    model.decorated_sources += [(d, index) for d in source.decorators]
                    if source.first_parameter:
                        model.first_param_sources.setdefault(source.first_parameter, index)
                    if source.identifier:
                        model.identifier_sources.append((compile_regex(source.identifier), index))
                (conds if source.label in condition_labels else srcs).add(index)
            sans: set[int] = set()
            for sanitizer in spec.sanitizers:
                index = sanitizer_index.get(sanitizer)
                if index is None:
                    index = sanitizer_index[sanitizer] = len(model.sanitizers)
                    model.sanitizers.append(sanitizer)
                    san_names += [(n, index) for n in sanitizer.names]
                    guards += [(n, index) for n in sanitizer.guard]
                    if sanitizer.membership:
                        model.membership.append(index)
                sans.add(index)
            words: set[str] = set()
            for sink in spec.sinks:
                words.update(_mention(n, call=True) for n in sink.names)
                words.update(_mention(n) for n in sink.store)
                if sink.assign:  # any assignment may be the sink: look for the sources
                    words.update(_mention(n) for src in spec.sources for n in src.names)
                sinks += [(n, (r, sink)) for n in sink.names]
                stores += [(n, (r, sink)) for n in sink.store]
                if sink.returns or sink.returns_first_parameter or sink.returns_function:
                    model.return_sinks.append((r, sink))
                if sink.assign:
                    model.assign_sinks.append((compile_regex(sink.assign), r, sink))
            props += [(n, p) for p in spec.propagators for n in p.names]
            words.discard("")
            model.rules.append(
                RuleEntry(
                    rule,
                    frozenset(srcs),
                    frozenset(sans),
                    spec.unknown,
                    frozenset(words),
                    frozenset(conds),
                )
            )
        model.source_names = NameSet(names)
        model.sanitizer_names = NameSet(san_names)
        model.guard_names = NameSet(guards)
        model.sink_calls = NameSet(sinks)
        model.store_sinks = NameSet(stores)
        model.propagators = NameSet(props)
        return model

    def present(self, source: bytes, kept: Presence | None = None) -> frozenset[int]:
        """The sources ``source`` may hold (its text matches their probe). With ``kept``
        (what this found in a document's last text), searched only around what an edit
        changed: see :class:`Presence`."""
        always = self._probes()[1]
        if kept is not None:
            return frozenset([*always, *kept.follow(self, source)])
        return frozenset([*always, *self.matched(source)])

    def matched(self, text: bytes) -> list[int]:
        """The sources with a probe that matches ``text``: every probe in one pass of an
        RE2 set over it, not one search per source."""
        probes, _, index = self._probes()
        found = probes.Match(text) if probes is not None else None
        return [index[i] for i in found or ()]

    def probed(self) -> list[int]:
        """The sources with a probe."""
        return self._probes()[2]

    def _probes(self) -> tuple[Any, tuple[int, ...], list[int]]:
        if self._probe_set is None:
            self._probe_set = _probe_set(self.probes)
        return self._probe_set

    def reach(self, i: int) -> int | None:
        """How far a match of source ``i``'s probe reaches (see :func:`_reach`)."""
        return self._reach()[0][i]

    def widest(self) -> int:
        """The farthest a match of any probe of bounded reach reaches, in bytes."""
        return self._reach()[1]

    def _reach(self) -> tuple[list[int | None], int]:
        if self._reaches is None:
            reaches = [None if p is None else _reach(p.pattern) for p in self.probes]
            bounded = [r for r in reaches if r is not None and r != LINE]
            self._reaches = (reaches, max(bounded, default=0))
        return self._reaches

    def active(self, present: frozenset[int]) -> frozenset[int]:
        """The rules that can fire in a file holding the ``present`` sources: those that
        report values of unknown origin, and those one of whose sources is present."""
        return frozenset(
            r
            for r, entry in enumerate(self.rules)
            if entry.unknown != "off" or entry.sources & present
        )

    def aliased_rules(self, full: str, rules: frozenset[int]) -> frozenset[int]:
        """Which of ``rules`` a name imported as ``full`` under another name is a sink
        of, itself or (a module under another name: ``const cp =
        require("child_process")``) through its members, whose calls mention only the
        alias. Cached: a file's imports are asked at every check of an edit."""
        key = (full, rules)
        found = self._aliased.get(key)
        if found is None:
            out = {r for r, _ in self.sink_calls.lookup(full) if r in rules}
            prefix = full + "."
            for name, values in self.sink_calls.exact.items():
                if name.startswith(prefix):
                    out.update(r for r, _ in values if r in rules)
            if len(self._aliased) >= MAX_CACHED:
                self._aliased.clear()
            found = self._aliased[key] = frozenset(out)
        return found

    def mention_key(self, text: bytes) -> str:
        """:func:`mention_key` of a mention's text, cached (a large file's mentions are
        keyed again at every check of an edit)."""
        found = self._keys.get(text)
        if found is None:
            if len(self._keys) >= MAX_CACHED:
                self._keys.clear()
            found = self._keys[text] = mention_key(text.decode())
        return found

    def words(self, rules: frozenset[int]) -> tuple[WordFinder, dict[str, set[int]]] | None:
        """The finder of the words every mention of a sink of ``rules`` contains, and the
        rules each word belongs to (cached per set of rules); None without words."""
        found = self._finders.get(rules)
        if found is None:
            rules_of: dict[str, set[int]] = {}
            for r in rules:
                for w in self.rules[r].words:
                    rules_of.setdefault(w, set()).add(r)
            found = (WordFinder(sorted(rules_of)), rules_of) if rules_of else False
            self._finders[rules] = found
        return found or None


class Presence:
    """What :meth:`TaintModel.present` found in a document's last text, kept across its
    edits (told of each, :meth:`edited`): for each source whose probe matched, where
    (one match). A match in text the edits left alone, its neighbours too (the probes'
    ``^``, ``$`` and ``\\b`` see one byte on either side), is still one, moved along;
    a new match must overlap the edits, so a probe of bounded reach (:func:`_reach`)
    is searched only that far around them. The whole text is searched for a probe only
    when its match was in the edits and none is around them, or when its reach is
    unknown."""

    __slots__ = ("_edits", "_found", "_model")

    def __init__(self) -> None:
        self._model: TaintModel | None = None
        self._found: dict[int, tuple[int, int]] = {}  # source index -> a match's span
        self._edits: list[tuple[int, int, int]] = []  # since the last follow (envelopes)

    def edited(self, start: int, old_end: int, new_end: int) -> None:
        """Note an edit replacing [start, old_end) by text ending at ``new_end``."""
        if self._model is not None:
            self._edits = envelop(self._edits, start, old_end, new_end)

    def follow(self, model: TaintModel, source: bytes) -> list[int]:
        """The sources with a probe that ``source`` holds (see :meth:`TaintModel.present`);
        ``source`` is the text after the edits told since the last call."""
        edits, self._edits = self._edits, []
        found: dict[int, tuple[int, int]] = {}
        if self._model is not model:  # all of it: one pass, then a match each
            for i in model.matched(source):
                m = model.probes[i].search(source)
                if m is not None:
                    found[i] = m.span()
            self._model, self._found = model, found
            return list(found)
        if not edits:
            return list(self._found)
        # the place every edit lies in: old[p:old_end] became source[p:new_end]
        p, new_end = edits[0][0], edits[-1][1]
        delta = sum(d for _, _, d in edits)
        old_end = new_end - delta
        # the text every new match lies in: the lines the edits touched, and as far
        # around them as the longest bounded match reaches
        lo = source.rfind(b"\n", 0, p) + 1
        hi = source.find(b"\n", new_end)
        hi = len(source) if hi < 0 else hi
        widest = model.widest()
        lo, hi = min(lo, max(0, p - widest)), max(hi, min(len(source), new_end + widest))
        # with the byte on either side that the probes' assertions see
        window = source[max(0, lo - 1) : hi + 1]
        start, end = lo - max(0, lo - 1), hi - max(0, lo - 1)
        near = set(model.matched(window))  # (and at times those only its ends made match)
        for i, span in self._found.items():
            if span[1] < p:  # before the edits, the byte after it too
                found[i] = span
            elif span[0] > old_end:  # after them, the byte before it too
                found[i] = (span[0] + delta, span[1] + delta)
        for i in near.difference(found):
            m = model.probes[i].search(window, start, end)
            if m is not None:
                found[i] = (m.start() + lo - start, m.end() + lo - start)
        for i in model.probed():
            if i in found or (i not in self._found and model.reach(i) is not None):
                continue  # found; or none before, none around the edits: none
            m = model.probes[i].search(source)  # its match was in the edits, or reach unknown
            if m is not None:
                found[i] = m.span()
        self._found = found
        return list(found)


LINE = -1
"""A probe's reach (:func:`_reach`) when its matches are unbounded but hold no line
break: a match lies within one line."""
UTF8_WIDTH = 4
"""Bytes of the widest character in UTF-8: a pattern's width in characters times this
bounds its matches' in bytes."""


def _reach(pattern: bytes) -> int | None:
    """How many bytes a match of RE2 ``pattern`` may span at most; :data:`LINE` when it
    may span more but never a line break; None when neither is known. Read with
    Python's parser of regular expressions, which parses RE2's syntax as RE2 does or
    refuses it; where the two read the same text otherwise (``x{,3}`` is literal in
    RE2, ``[[:space:]]`` a class holding ``\\n``), nothing is known."""
    try:
        text = pattern.decode("utf-8")
        if "{," in text or "[:" in text:
            return None
        with warnings.catch_warnings():  # (on a nested set: read as RE2 would, or refused)
            warnings.simplefilter("ignore")
            parsed = parser.parse(text)
    except Exception:  # RE2 syntax Python's parser does not know (\\pL, \\z, \\C)
        return None
    widest = parsed.getwidth()[1]
    if widest < sre.MAXREPEAT:
        return widest * UTF8_WIDTH
    dotall = bool(parsed.state.flags & sre.SRE_FLAG_DOTALL)
    return None if _newline(parsed.data, dotall) else LINE


def _newline(items: Any, dotall: bool) -> bool:
    """Whether a parsed pattern's ``items`` may match a line break (when unsure: yes)."""
    for op, av in items:
        if op is sre.AT:  # an assertion: no character
            continue
        if op is sre.LITERAL or op is sre.NOT_LITERAL:  # c, or [^c]
            if (av == 10) == (op is sre.LITERAL):
                return True
        elif op is sre.ANY:
            if dotall:
                return True
        elif op is sre.IN:
            if _class_newline(av):
                return True
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if _newline(av[2].data, dotall):
                return True
        elif op is sre.SUBPATTERN:
            add, sub = av[1], av[3]
            if _newline(sub.data, dotall or bool(add & sre.SRE_FLAG_DOTALL)):
                return True
        elif op is sre.BRANCH:
            if any(_newline(b.data, dotall) for b in av[1]):
                return True
        else:  # anything else (references, look-arounds): maybe
            return True
    return False


_NO_NEWLINE = (sre.CATEGORY_DIGIT, sre.CATEGORY_WORD, sre.CATEGORY_NOT_SPACE)
"""The classes (\\d, \\w, \\S) that hold no line break."""


def _class_newline(items: Any) -> bool:
    """Whether a parsed character class holds a line break (when unsure: yes)."""
    negate, holds = False, False
    for op, av in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            holds = holds or av == 10
        elif op is sre.RANGE:
            holds = holds or av[0] <= 10 <= av[1]
        elif op is sre.CATEGORY and av in _NO_NEWLINE:
            continue
        else:  # \\s, \\D, \\W and anything not known
            holds = True
    return holds != negate


WORDS_PER_PROGRAM = 100
"""Mention regexes per RE2 program of a :class:`WordFinder`. One alternation of the
Python packs' 315 words and 11 more outgrew RE2's DFA budget (``RE2_MAX_MEM``) and
fell back to matching some 75x slower; 100 per program stay well inside it."""


class WordFinder:
    """The mentions of ``words`` (keys of _MENTION) in a text: exactly the matches of
    one alternation of their regexes, in that order, found by several RE2 programs
    of ``WORDS_PER_PROGRAM`` words each, so that its speed does not fall off a cliff
    when the packs, or a repository's rules, name more sinks.

    The single alternation's ``finditer`` takes, from where its last match ended,
    the leftmost match, and at one start the first word's; each program does the
    same over a slice of the words in order, so the earliest next match of all the
    programs, the lowest program's at one start, is the alternation's next match."""

    def __init__(self, words: list[str]) -> None:
        from genguard.rules.loader import compile_regex

        self.words = words
        self.programs = [
            compile_regex("|".join(_MENTION[w] for w in words[i : i + WORDS_PER_PROGRAM]))
            for i in range(0, len(words), WORDS_PER_PROGRAM)
        ]

    def finditer(self, source: bytes, pos: int = 0) -> Iterator[Any]:
        """The mentions in ``source`` from ``pos`` on, in order, none overlapping (as
        ``re2`` finds them)."""
        programs = self.programs
        if len(programs) == 1:
            yield from programs[0].finditer(source, pos)
            return
        ahead = [p.search(source, pos) for p in programs]
        while True:
            best = None
            for i, m in enumerate(ahead):
                if m is not None and m.start() < pos:  # overlaps the last match: look on
                    m = ahead[i] = programs[i].search(source, pos)
                if m is not None and (best is None or m.start() < best.start()):
                    best = m
            if best is None:
                return
            yield best
            pos = best.end() if best.end() > best.start() else best.end() + 1  # never empty


_MENTION: dict[str, str] = {}
"""Key of a mention (see :func:`_mention`) -> the RE2 that finds it."""


_CALLED = "([`<!?"
"""What may follow a called name: its arguments (``(``, a tagged template's backtick,
``?.(``), or type arguments (``[T]``, ``<T>``), or a non-null assertion (``f!(x)``)."""
_GAP = "(?:\\s|\\\\|#[^\\n]*|//[^\\n]*|/\\*(?s:.)*?\\*/)*"
"""Space, line continuations and comments between a called name and what follows it."""


def mention_key(text: str) -> str:
    """The key of a found mention: its text without spaces or a leading delimiter; a
    call's (see :func:`_mention`) is its name followed by ``(``."""
    if text and text[-1] in _CALLED:
        text = text[1:] if text[:1] and not (text[0].isalnum() or text[0] in "._") else text
        name = re.match(r"[\w$.\s]*", text)
        return re.sub(r"\s+", "", name.group() if name else "") + "("
    text = re.sub(r"\s+", "", text)
    return text.lstrip("".join(c for c in text[:1] if not (c.isalnum() or c in "._")))


def _mention(pattern: NamePattern, *, call: bool = False) -> str:
    """A key for the text every call of ``pattern`` contains, its RE2 in _MENTION:
    ``os.system`` as written, ``.execute`` after any receiver, a bare builtin
    (``eval``) not after a dot, else the longest literal segment. With ``call``, a
    name written in full is a mention only where it is called (``self.raw.read()``
    names no call of ``*.raw``): the engine takes a sink call's name from the call."""
    segs = pattern.segments
    esc = [re.escape(s) for s in segs]  # JavaScript names may hold $
    called = f"{_GAP}[{re.escape(_CALLED)}]" if call else "\\b"
    suffix = "(" if call else ""
    if "*" not in segs:
        if len(segs) == 1:
            key, regex = segs[0] + suffix, f"(?:^|[^.\\w]){esc[0]}\\b" + (called if call else "")
        else:
            key = ".".join(segs) + suffix
            regex = "\\b" + "\\s*\\.\\s*".join(esc) + called
    elif segs[0] == "*" and "*" not in segs[1:]:
        key = "." + ".".join(segs[1:]) + suffix
        regex = "\\.\\s*" + "\\s*\\.\\s*".join(esc[1:]) + called
    else:
        key = _word(pattern)
        regex = f"\\b{re.escape(key)}\\b"
    _MENTION.setdefault(key, regex)
    return key


def _word(pattern: NamePattern) -> str:
    """The longest literal segment of ``pattern``: text every mention of it contains."""
    literal = [seg for seg in pattern.segments if seg != "*"]
    return max(literal, key=len) if literal else ""


def _probe_set(probes: list[Any]) -> tuple[Any, tuple[int, ...], list[int]]:
    """An RE2 set of the probes (None when there are none), the sources without a
    probe (any file may hold them), and the source of each pattern in the set."""
    import re2

    from genguard.rules.loader import re2_options

    always = tuple(i for i, probe in enumerate(probes) if probe is None)
    index = [i for i, probe in enumerate(probes) if probe is not None]
    if not index:
        return None, always, index
    found = re2.Set.SearchSet(re2_options())
    for i in index:
        found.Add(probes[i].pattern)
    found.Compile()
    return found, always, index


def _mentions(source: Source) -> Any:
    """RE2 a function must match to read ``source`` itself: its probe, except for a
    source that holds only in some classes, whose probe looks for the classes' bases
    (``self.path`` is in every method; ``BaseHTTPRequestHandler`` is not)."""
    from genguard.rules.loader import compile_regex

    if not source.bases:
        return _probe(source)
    names = sorted(
        {
            "\\s*\\.\\s*".join("\\w+" if seg == "*" else re.escape(seg) for seg in n.segments)
            for n in source.names
        }
    )
    return compile_regex("\\b(?:" + "|".join(names) + ")\\b")


def _probe(source: Source) -> Any:
    """RE2 a file must match to hold ``source``; None when any file may (identifiers).
    A source that holds only in classes with given bases needs one of the bases."""
    from genguard.rules.loader import compile_regex

    if source.bases:
        bases = sorted({re.escape(_word(b)) for b in source.bases})
        return compile_regex("\\b(?:" + "|".join(bases) + ")\\b")
    if source.identifier:  # the same pattern anywhere in the text, not only a whole name
        pattern = source.identifier
        if pattern.endswith("$") and not pattern.endswith("\\$"):
            pattern = pattern[:-1]
        return compile_regex(pattern)
    words = {_word(n) for n in source.names}
    if source.first_parameter:
        words.add(source.first_parameter)
    alternatives = []
    literal = sorted(re.escape(w) for w in words if w)
    if literal:
        alternatives.append("\\b(?:" + "|".join(literal) + ")\\b")
    if source.decorators:
        decorators = "|".join(sorted({re.escape(_word(d)) for d in source.decorators}))
        alternatives.append(f"@[^\\n]*\\b(?:{decorators})\\b")
    return compile_regex("|".join(alternatives)) if alternatives else None
