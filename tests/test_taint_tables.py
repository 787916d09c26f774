"""The function and call tables an editor keeps across edits give the analysis a fresh
collection would: after any run of edits (broken syntax, moved classes, a whole file
inside an error node) the same functions, classes, imports, callers and hits."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from genguard.config import Settings
from genguard.rules.matcher import CompiledRules
from genguard.rules.workspace import load_workspace_rules
from genguard.syntax.tree import SyntaxTree
from genguard.taint import core, python_tables
from genguard.taint.python import FileAnalysis
from genguard.taint.python_tables import Tables
from genguard.taint.run import taint_matches
from genguard.text.buffer import TextBuffer

CORPUS = Path(__file__).parent / "taint" / "corpus"

HEAD = (
    "from flask import request, Flask\nimport subprocess\nimport requests\napp = Flask(__name__)\n"
)
SERVICE = '''

class Service{n}:
    """Service number {n}."""

    def __init__(self, name, retries=3):
        self.name = name
        self.items = []

    def add(self, item):
        if item is None:
            raise ValueError("item is required")
        self.items.append(item)
        return helper(item)

    def fetch(self, url):
        resp = requests.get(url,
                            timeout=self.retries)
        return resp.json()

    @app.route("/run{n}")
    def run(self):
        self.cmd = request.args["cmd"]
        return subprocess.call(request.args["cmd"], shell=True)

    def again(self):
        return subprocess.call(self.cmd, shell=True)


def helper(value):
    return eval(value)


def build{n}(value):
    return Service{n}(value)
'''
SNIPPETS = [
    "x",
    "\n",
    "def helper(a):\n    return eval(a)\n",
    "    y = helper(request.args['q'])\n",
    "class K:\n    def m(self, v):\n        os.system(v)\n",
    "        self.cmd = request.args['c']\n",
    ")",
    "(",
    '"""',
    "import subprocess as sp\n",
    "@app.route('/x')\n",
    "        ",
    "pass\n",
    "# c\n",
    "    Service1(request.args['q'])\n",
    "    def __init__(self, v):\n        self.v = v\n",
]


@pytest.fixture(scope="module")
def model():
    return CompiledRules(load_workspace_rules(None, Settings())).matcher_for("python").taint


def facts(fa: FileAnalysis, *, making: bool = True):
    """What the analysis knows of the file's functions; with ``making``, also what
    each makes (:meth:`FileAnalysis.made`) and is made by, which kept tables keep
    across edits only for the analyses that ask (left out, it is not asked)."""
    fa._count_calls()
    start = {f.node.id: f.node.start_byte for f in fa.functions}

    def listed(related) -> list:  # each function's start, with the starts it relates to
        found = (
            (f.node.start_byte, sorted(g.node.start_byte for g in related(f)))
            for f in fa.functions
        )
        return sorted((at, others) for at, others in found if others) if making else []

    made, makers = listed(fa.made), listed(fa.makers)
    return (
        made,
        makers,
        dict(fa.aliases),
        set(fa.defined),
        [
            (f.node.start_byte, f.node.end_byte, f.name, f.cls, f.calls, decorators)
            for f in fa.functions
            for decorators in [[(d.start_byte, d.end_byte) for d in f.decorators]]
        ],
        {k: sorted(start[c.node.id] for c in v) for k, v in fa.callers.items()},
        sorted((-1 if k is None else start[k], sorted(v)) for k, v in fa.callees.items()),
        {  # each class's one __init__, which a call of the class runs
            name: None if init is None else init.node.start_byte
            for name in sorted(fa.class_names)
            for init in [fa.initializer_of(name)]
        },
    )


def hits(fa: FileAnalysis, tree) -> list[tuple[str, int, int, str, list]]:
    """The findings the analysis gives, as the editor shows them: how often it reached
    one sink on the way (which depends on the order functions are visited in) is not
    one of them, the severity and path of the best-evidenced trace are."""
    found = taint_matches(fa.model, "python", fa.source, tree, analysis=fa)
    return [(m.rule.id, m.start, m.end, m.rule.severity, m.related) for m in found]


def located(fa: FileAnalysis, picks: list[int]) -> tuple[list, list, list]:
    """Where the analysis finds its functions (read from the kept tables' offsets when
    asked): every start and span, and the functions around and touching the bytes
    ``picks`` (what a sink's mention is attributed to, what an edit reaches)."""
    spans = [(a, b, f.node.start_byte, f.node.end_byte) for a, b, f in fa.spans]
    size = len(fa.source)
    around = [
        (pos, None if fn is None else (fn.node.start_byte, fn.name))
        for pos in picks
        for fn in [fa.enclosing(pos)]
    ]
    touched = [
        [(f.node.start_byte, f.name) for f in fa.touching([(pos, min(size, pos + 30))])]
        for pos in picks[:10]
    ]
    return [list(fa.starts), spans], around, touched


def reached(fa: FileAnalysis, picks: list[int]) -> list[list[tuple[int, int]]]:
    """The spans an edit of a few bytes at each of ``picks`` can change findings in
    (see ``scope``): the editor analyses those again."""
    size = len(fa.source)
    return [fa.scope([(pos, min(size, pos + 3))]) for pos in picks[:10]]


def chosen(fa: FileAnalysis, only: list[tuple[int, int]] | None = None) -> tuple | None:
    """The functions the analysis chooses to look at (see ``_candidates``), in the
    order they are analysed in; with ``only``, for an edit there (worked out for
    the functions it can change the findings of alone)."""
    found = fa._candidates(only)
    if found is None:
        return None
    return tuple([(f.node.start_byte, f.name) for f in fns] for fns in found)


def chosen_near(fa: FileAnalysis, only: list[tuple[int, int]]) -> tuple | None:
    """What :func:`chosen` gives for an edit of ``only``, from the choice for the whole
    file: the functions an edit there can change the findings of, of those."""
    found = chosen(fa)
    if found is None:
        return None
    near = {(f.node.start_byte, f.name) for f in fa.functions if f.node.id in fa._near(only)}
    return tuple([f for f in fns if f in near] for fns in found)


def units(tables: Tables) -> list[tuple[int, int, tuple[int, int] | None]]:
    """The tables' units, where they are (and their class header), after checking that
    each run holds units next to each other, in the order of the runs, and counts
    them. Not those of no text (a token error recovery left out), which hold nothing
    and may outlive it."""
    runs = {id(run): at for at, run in enumerate(tables._runs)}
    order = [runs[id(u.run)] for u in tables.units]
    assert order == sorted(order)
    for at, run in enumerate(tables._runs):
        assert run.size == order.count(at)
    return [(u.start, u.end, u.owner) for u in tables.units if u.end > u.start]


@pytest.mark.parametrize("refresh", [False, True], ids=["lazy", "refreshed"])
@pytest.mark.parametrize("seed", range(8))
def test_tables_kept_across_edits_equal_a_fresh_collection(
    model, seed: int, refresh: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``refreshed``: the tree is also reparsed between edits, as the editor does once
    it has answered (SyntaxTree.refresh), and the tables sometimes brought up to it
    then; the next check gets what those reparses changed, moved along by the later
    edits, and the tables what they were not told yet. The functions asked for are put
    in order by bisection however many they are (a file this small would take a pass),
    and compared with a pass over every function. Runs of one to three units: an edit
    splits one, and they are made again often."""
    monkeypatch.setattr(core, "BISECT_SHARE", 0)
    monkeypatch.setattr(python_tables, "RUN", 1 + seed % 3)
    rng = random.Random(seed)
    reparse = random.Random(seed + 100)
    asks = random.Random(seed + 200)
    probes = random.Random(seed + 300)
    told = False  # the tables were updated at a refresh since the last check
    missed = False  # ... and a refresh since then did not tell them what it changed
    buffer = TextBuffer(HEAD + "".join(SERVICE.format(n=n) for n in range(5)))
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tables = Tables()
    tree, _ = syntax.current(buffer.data)
    tables.update(buffer.data, tree, [])
    for _ in range(80):
        for _ in range(rng.choice([1, 1, 2, 5])):  # edits between two checks
            data = buffer.data
            start = rng.randint(0, len(data))
            if rng.random() < 0.5:
                start = data.rfind(b"\n", 0, start) + 1
            end = min(len(data), start + rng.choice([0, 0, 1, 5, 40]))
            text = rng.choice(SNIPPETS).encode() if rng.random() < 0.8 else b""
            if rng.random() < 0.1:  # the same length: spans stay, the text changes
                text = bytes(c if rng.random() < 0.7 else ord("(") for c in data[start:end])
            edit = buffer.replace(start, end, text)
            syntax.edit(edit, buffer)  # as the editor tells it (syntax.edits)
            tables.edited(edit.start, edit.old_end, edit.new_end)
            if refresh and reparse.random() < 0.5:
                done = syntax.refresh(buffer.data)
                if done is not None and reparse.random() < 0.5:  # the tables follow it
                    tables.update(buffer.data, syntax.tree, done)
                    told = True
                elif done is not None:
                    missed = True
        tree, changed = syntax.current(buffer.data)
        # told at every refresh: only this reparse's news (as the editor does); else
        # everything since the last check, which holds what the untold refreshes changed
        tables.update(buffer.data, tree, syntax.last_reparse if told and not missed else changed)
        told = missed = False
        again = Tables()
        again.update(buffer.data, tree, [])
        assert units(tables) == units(again), buffer.data.decode()
        kept = FileAnalysis(model, buffer.data, tree, tables=tables)
        fresh = FileAnalysis(model, buffer.data, tree)
        making = asks.random() < 0.5  # else what it makes is searched a check later
        a, b = facts(kept, making=making), facts(fresh, making=making)
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert x == y, (i, buffer.data.decode())
        picks = sorted(probes.randint(0, len(buffer.data)) for _ in range(40))
        assert located(kept, picks) == located(fresh, picks), buffer.data.decode()
        # chosen in the order of a pass over every function, as a fresh one was
        plain = FileAnalysis(model, buffer.data, tree)
        plain._in_order = lambda ids, fns=plain.functions: [f for f in fns if f.node.id in ids]
        assert chosen(kept) == chosen(fresh) == chosen(plain), buffer.data.decode()
        assert reached(kept, picks) == reached(fresh, picks) == reached(plain, picks)
        for pos in picks[:3]:  # the choice for an edit there, worked out for it alone
            only = [(pos, min(len(buffer.data), pos + 3))]
            alone = chosen(FileAnalysis(model, buffer.data, tree, tables=tables), only)
            assert alone == chosen_near(FileAnalysis(model, buffer.data, tree), only)
        again = FileAnalysis(model, buffer.data, tree, tables=tables)
        assert hits(again, tree) == hits(FileAnalysis(model, buffer.data, tree), tree)


@pytest.mark.parametrize("refresh", [False, True], ids=["lazy", "refreshed"])
def test_tables_follow_a_broken_first_line_and_a_call_renamed_in_place(
    model, refresh: bool
) -> None:
    """The imports' first line broken and restored (the statements after it regroup),
    and a call renamed in place (every span stays). ``refreshed``: each edit is
    reparsed, and the tables updated, before the next one comes."""
    buffer = TextBuffer(HEAD + "".join(SERVICE.format(n=n) for n in range(3)))
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tables = Tables()
    tree, _ = syntax.current(buffer.data)
    tables.update(buffer.data, tree, [])
    call = buffer.data.index(b"return helper(item)") + len(b"return ")
    for start, end, text in (
        (0, 5, b""),  # "from " gone: an error node where the imports were
        (0, 0, b"from "),
        (call, call + 6, b"hxlper"),
        (call, call + 6, b"helper"),
    ):
        edit = buffer.replace(start, end, text)
        syntax.edit(edit, buffer)
        tables.edited(edit.start, edit.old_end, edit.new_end)
        if refresh:
            done = syntax.refresh(buffer.data)
            assert done is not None and syntax.tree is not None
            tables.update(buffer.data, syntax.tree, done)
            tree, changed = syntax.current(buffer.data)
            assert syntax.last_reparse == []  # nothing left to parse
            tables.update(buffer.data, tree, syntax.last_reparse)
        else:
            tree, changed = syntax.current(buffer.data)
            tables.update(buffer.data, tree, changed)
        kept = FileAnalysis(model, buffer.data, tree, tables=tables)
        assert facts(kept) == facts(FileAnalysis(model, buffer.data, tree))


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\n\nx = 1\n\n\n"])
def test_tables_of_a_module_of_blank_lines_or_none(model, text: str) -> None:
    """A module with no statement after the edit, or none at all, has units like a
    fresh collection (and does not take the process down)."""
    data = text.encode()
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tables = Tables()
    tree, _ = syntax.current(data)
    tables.update(data, tree, [])
    kept = FileAnalysis(model, data, tree, tables=tables)
    assert facts(kept) == facts(FileAnalysis(model, data, tree))


def test_an_edit_makes_anew_only_the_functions_of_the_statements_it_changed(model) -> None:
    """The analyses of an edited document share the functions the edit left alone (what
    one analysis works out about them stays its own: the next finds what a fresh one
    does), and the callers of a helper follow a call of it added and taken out."""
    buffer = TextBuffer(HEAD + "".join(SERVICE.format(n=n) for n in range(4)))
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tables = Tables()
    tree, _ = syntax.current(buffer.data)
    tables.update(buffer.data, tree, [])
    first = FileAnalysis(model, buffer.data, tree, tables=tables)
    assert hits(first, tree) == hits(FileAnalysis(model, buffer.data, tree), tree)
    before = {(f.node.start_byte, f.name, f.cls): f for f in first.functions}
    body = buffer.data.index(b"        self.items = []") + len(b"        self.items = []\n")
    for text in (b"        helper(name)\n", b""):
        end = body + (0 if text else len(b"        helper(name)\n"))
        edit = buffer.replace(body, end, text)
        syntax.edit(edit, buffer)
        tables.edited(edit.start, edit.old_end, edit.new_end)
        tree, changed = syntax.current(buffer.data)
        tables.update(buffer.data, tree, changed)
        kept = FileAnalysis(model, buffer.data, tree, tables=tables)
        fresh = FileAnalysis(model, buffer.data, tree)
        assert facts(kept) == facts(fresh)
        assert hits(kept, tree) == hits(FileAnalysis(model, buffer.data, tree), tree)
        inits = [f for f in kept.functions if f.name == "__init__"]
        callers = {f.node.start_byte for f in kept.callers.get("helper", ())}
        assert (inits[0].node.start_byte in callers) == bool(text)
        moved = len(text) - (end - body)
        kept_alike = {
            (f.name, f.cls)
            for f in kept.functions
            if before.get(
                (f.node.start_byte - (moved if f.node.start_byte > body else 0), f.name, f.cls)
            )
            is f
        }
        others = {(f.name, f.cls) for f in kept.functions if f.cls != "Service0"}
        assert others <= kept_alike  # the statements the edit left alone
        assert ("__init__", "Service0") not in kept_alike
        before = {(f.node.start_byte, f.name, f.cls): f for f in kept.functions}


def test_a_class_after_an_insertion_keeps_its_methods_and_one_renamed_does_not(model) -> None:
    """A function inserted before a class, as an editor sends it (the reparse reports the
    class's first token as changed), leaves the class's methods as they were; a class
    renamed in place (every span the same) has its methods made anew, in the new class."""
    buffer = TextBuffer(HEAD + "".join(SERVICE.format(n=n) for n in range(4)))
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tables = Tables()
    tree, _ = syntax.current(buffer.data)
    tables.update(buffer.data, tree, [])
    first = FileAnalysis(model, buffer.data, tree, tables=tables)
    before = {(f.name, f.cls): f for f in first.functions}
    for offset, size, text in (
        (0, 0, b"def inserted(value):\n    return eval(value)\n\n\n"),
        (len(b"class Servic"), 1, b"x"),  # Service2 -> Servicx2
    ):
        start = buffer.data.index(b"class Service2:") + offset
        edit = buffer.replace(start, start + size, text)
        syntax.edit(edit, buffer)
        tables.edited(edit.start, edit.old_end, edit.new_end)
        tree, changed = syntax.current(buffer.data)
        tables.update(buffer.data, tree, changed)
        kept = FileAnalysis(model, buffer.data, tree, tables=tables)
        fresh = FileAnalysis(model, buffer.data, tree)
        assert facts(kept) == facts(fresh)
        assert hits(kept, tree) == hits(FileAnalysis(model, buffer.data, tree), tree)
        methods = [f for f in kept.functions if f.cls in ("Service2", "Servicx2")]
        assert len(methods) == 5
        same = [f for f in methods if before.get((f.name, "Service2")) is f]
        assert len(same) == (5 if text.startswith(b"def") else 0)


def test_a_statement_after_an_edit_is_kept_unless_its_tree_changed(model) -> None:
    """Lines typed into a class's docstring leave the method after it as it was (the
    reparse reports its first token as changed; its text and tree are the same); a
    quote that opens a string over the method makes it anew, as a fresh collection."""
    buffer = TextBuffer(HEAD + "".join(SERVICE.format(n=n) for n in range(3)))
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tables = Tables()
    tree, _ = syntax.current(buffer.data)
    tables.update(buffer.data, tree, [])
    first = FileAnalysis(model, buffer.data, tree, tables=tables)
    init = next(f for f in first.functions if (f.name, f.cls) == ("__init__", "Service1"))
    doc = buffer.data.index(b'"""Service number 1.') + len(b'"""Service number 1.')
    for text, same in ((b"\n    Example: eval(user_input).\n    ", True), (b'"""', False)):
        edit = buffer.replace(doc, doc, text)
        syntax.edit(edit, buffer)
        tables.edited(edit.start, edit.old_end, edit.new_end)
        tree, changed = syntax.current(buffer.data)
        tables.update(buffer.data, tree, changed)
        kept = FileAnalysis(model, buffer.data, tree, tables=tables)
        assert facts(kept) == facts(FileAnalysis(model, buffer.data, tree))
        assert any(f is init for f in kept.functions) == same


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.py"))[:60])
def test_places_put_in_functions_in_one_pass_are_those_a_bisection_finds(model, name) -> None:
    """``_enclosing_each`` (one pass over the functions, for many places) finds for each
    place the function :meth:`enclosing` finds, nested functions and text between
    functions included."""
    source = (CORPUS / name).read_bytes()
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tree, _ = syntax.current(source)
    fa = FileAnalysis(model, source, tree)
    places = list(range(0, len(source), 7))
    random.Random(name).shuffle(places)
    one_pass = core.ENCLOSING_SHARE
    try:
        core.ENCLOSING_SHARE = 10**9  # always the pass
        assert fa._enclosing_each(places) == [fa.enclosing(p) for p in places]
    finally:
        core.ENCLOSING_SHARE = one_pass


NESTED = b"""import os


def a(x):
    def b(y):
        def c(z):
            return os.system(z)

        w = c(y)

        @staticmethod
        def d():
            pass

        return w

    v = b(x)
    return v


class K:
    def m(self):
        def n():
            pass

        return n

    z = 1
"""


@pytest.mark.parametrize("name", ["nested", *sorted(p.name for p in CORPUS.glob("*.py"))[:60]])
def test_a_function_found_through_the_tree_is_the_one_the_nesting_gives(model, name) -> None:
    """:meth:`enclosing` answers the first bytes outside the last function started
    before them through the tree's ancestors, the later ones from which function is
    around which: the same function either way, nested functions and text between
    functions included."""
    source = NESTED if name == "nested" else (CORPUS / name).read_bytes()
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    tree, _ = syntax.current(source)
    places = range(0, len(source), 7 if name != "nested" else 1)
    found = []
    kept = core.NEST_AFTER
    try:
        for after in (0, 10**9):  # always the nesting; always the tree
            core.NEST_AFTER = after
            fa = FileAnalysis(model, source, tree)
            found.append([fa.enclosing(p) and fa.enclosing(p).node.id for p in places])
    finally:
        core.NEST_AFTER = kept
    assert found[0] == found[1]
