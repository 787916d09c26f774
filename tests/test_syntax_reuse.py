"""How an open document's edits are told to tree-sitter: the reparse gives the tree a
fresh parse gives, after any run of edits, and reuses the old tree after a function
inserted or taken out among a module's statements (counted in tokens the parser had
to read again, not in time)."""

from __future__ import annotations

import random

import pytest
from tree_sitter import LogType, Parser

from genguard.syntax.languages import new_parser
from genguard.syntax.tree import SyntaxTree
from genguard.text.buffer import TextBuffer

SERVICE = '''

class Service{n}:
    """Service number {n}."""

    def __init__(self, name, retries=3):
        self.name = name
        self.items = []

    def add(self, item):
        if item is None:
            raise ValueError("item is required")  # checked
        self.items.append(item)
        return len(self.items)

    def fetch(self, url):
        resp = requests.get(url,
                            timeout=self.retries)
        return resp.json()
'''
FUNCTION = "def evaluate(expr):\n    value = eval(expr)\n    return value\n"
SNIPPETS = [
    "x",
    "\n",
    FUNCTION,
    FUNCTION + "\n",
    "    y = helper(q)\n",
    "class K:\n    def m(self, v):\n        os.system(v)\n",
    "        self.cmd = c\n",
    ")",
    "(",
    '"""',
    "'''\n",
    "f'{",
    "@app.route('/x')\n",
    "        ",
    "\t",
    "pass\n",
    "# c\n",
    "\\\n",
    "\r\n",
    "if x:\n",
    "    else:\n        pass\n",
]


def module(classes: int) -> str:
    return "import requests\n" + "".join(SERVICE.format(n=n) for n in range(classes))


def fresh(text: bytes) -> str:
    parser = new_parser("python")
    assert parser is not None
    return str(parser.parse(text).root_node)


@pytest.mark.parametrize("seed", range(6))
def test_reparse_equals_a_fresh_parse_after_random_edits(seed: int) -> None:
    rng = random.Random(seed)
    buffer = TextBuffer(module(12), "utf-8")
    syntax = SyntaxTree.for_language("python")
    assert syntax is not None
    syntax.current(buffer.data)
    for _ in range(60):
        for _ in range(rng.choice([1, 1, 2, 3])):  # several edits before a reparse
            data = buffer.data
            start = rng.randrange(len(data) + 1)
            if rng.random() < 0.4:  # where an editor inserts lines: a line start
                start = data.rfind(b"\n", 0, start) + 1
            end = start if rng.random() < 0.5 else min(len(data), start + rng.choice([1, 5, 40]))
            if end > start and rng.random() < 0.4:  # whole lines
                end = data.find(b"\n", end) + 1 or len(data)
            text = rng.choice(SNIPPETS) if rng.random() < 0.8 else ""
            syntax.edit(buffer.replace(start, end, text.encode()), buffer)
        tree, _ = syntax.current(buffer.data)
        assert str(tree.root_node) == fresh(buffer.data)


class Lexed:
    """Counts the tokens a parser reads from the text (not those it reuses)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, kind: LogType, message: str) -> None:
        if kind == LogType.PARSE and message.startswith("lexed_lookahead"):
            self.count += 1


def reparse(text: str, line: int, edit: tuple[int, str], *, told: bool = True) -> tuple[int, int]:
    """Tokens read again by the reparse after replacing ``edit[0]`` lines at ``line``
    with ``edit[1]``, and by a fresh parse of the result."""
    lexed = Lexed()
    parser = new_parser("python")
    assert parser is not None
    buffer = TextBuffer(text, "utf-8")
    syntax = SyntaxTree("python", parser)
    syntax.current(buffer.data)
    removed, inserted = edit
    start = buffer.offset_at(line, 0)[0]
    end = buffer.offset_at(line + removed, 0)[0]
    syntax.edit(buffer.replace(start, end, inserted.encode()), buffer if told else None)
    parser.logger = lexed
    tree, _ = syntax.current(buffer.data)
    parser.logger = None
    assert str(tree.root_node) == fresh(buffer.data)
    whole = Lexed()
    Parser(parser.language, logger=whole).parse(buffer.data)
    return lexed.count, whole.count


def lines_where(text: str, prefix: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines()) if line.startswith(prefix)]


@pytest.mark.parametrize(
    "where",
    [
        "class Service",  # between two classes, near the top
        "    def fetch",  # into a class, between two methods
        "        self.items.append",  # into a method: the rest of it joins the function
        "        resp = requests",  # after a method's first line
    ],
)
def test_a_function_inserted_and_taken_out_is_reparsed_near_the_edit(where: str) -> None:
    text = module(200)
    line = lines_where(text, where)[1]
    lexed, whole = reparse(text, line, (0, FUNCTION))
    assert lexed < whole / 20, (lexed, whole)
    lines = text.splitlines(keepends=True)
    inserted = "".join([*lines[:line], FUNCTION, *lines[line:]])
    lexed, whole = reparse(inserted, line, (FUNCTION.count("\n"), ""))
    assert lexed < whole / 20, (lexed, whole)


def test_told_as_the_editor_sends_it_the_insertion_reparses_the_rest_of_the_file() -> None:
    """What the widening is for: the same insertion told at the line start."""
    text = module(200)
    line = lines_where(text, "class Service2:")[0]
    lexed, whole = reparse(text, line, (0, FUNCTION), told=False)
    assert lexed > whole / 2, (lexed, whole)
