"""The replay corpus: everyday sessions in Python, TypeScript and Go.

Each builder returns one :class:`~tests.lsp.replay.Trace`; its ``kind`` groups
the figures in the summary. Human text and AI text are written out here; who
owns what afterwards follows from the operations (see tests/lsp/replay.py).
"""

from __future__ import annotations

from collections.abc import Callable

from tests.lsp.replay import (
    A,
    Doc,
    H,
    Owners,
    Style,
    Trace,
    dedent,
    format_doc,
    owners,
    reformat,
)

BLACK = Style("    ", 60, '"', "python")
BLACK_WIDE = Style("    ", 100, '"', "python")
PRETTIER = Style("  ", 60, "'", "typescript")
GOFMT = Style("\t", 200, None, "go")

PY_HUMAN = dedent(
    """
    import os
    import sys


    def load_config(path):
        with open(path) as handle:
            return handle.read()


    def main(argv):
        config = load_config(argv[1])
        print('loaded', len(config), 'bytes from', argv[1])
        return 0
    """
)

PY_AI = dedent(
    """
    def summarize_orders(orders, currency='EUR'):
        totals = {}
        for order in orders:
            key = order['customer_id']
            totals[key] = totals.get(key, 0) + order['amount']
        return sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    """
)

TS_HUMAN = dedent(
    """
    import { readFileSync } from "fs";

    export function loadUsers(path: string): string[] {
        const raw = readFileSync(path, "utf8");
        return raw.split("\\n").filter((line) => line.length > 0);
    }

    export function greet(name: string): string {
        return "Hello, " + name;
    }
    """
)

TS_AI = dedent(
    """
    export function groupByDomain(emails: string[]): Map<string, string[]> {
        const groups = new Map<string, string[]>();
        for (const email of emails) {
            const domain = email.split("@")[1] ?? "unknown";
            groups.set(domain, [...(groups.get(domain) ?? []), email]);
        }
        return groups;
    }
    """
)

GO_HUMAN = dedent(
    """
    package store

    import "strings"

    func Normalize(name string) string {
    \treturn strings.ToLower(strings.TrimSpace(name))
    }

    func Count(items []string) int {
    \ttotal := 0
    \tfor _, item := range items {
    \t\tif item != "" {
    \t\t\ttotal++
    \t\t}
    \t}
    \treturn total
    }
    """
)

GO_AI = dedent(
    """
    func Dedupe(items []string) []string {
    \tseen := make(map[string]bool, len(items))
    \tout := make([]string, 0, len(items))
    \tfor _, item := range items {
    \t\tif !seen[item] {
    \t\t\tseen[item] = true
    \t\t\tout = append(out, item)
    \t\t}
    \t}
    \treturn out
    }
    """
)


def _end(doc: Doc) -> int:
    return len(doc.text)


def _lines(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Character span of whole lines first..last (0-based, inclusive)."""
    start = doc.line_start(first)
    return start, doc.line_start(last + 1)


def _reindent(text: str, own: Owners, by: int, unit: str = "    ") -> tuple[str, Owners]:
    """Lines of ``text`` indented ``by`` levels more (or less); indentation takes the
    owner of the line's first visible character."""
    out, out_own, pos = [], [], 0
    for line in text.split("\n"):
        o = own[pos : pos + len(line)]
        pos += len(line) + 1
        if line.strip():
            lead = len(line) - len(line.lstrip())
            body, bo = line[lead:], o[lead:]
            indent = line[:lead] + unit * by if by >= 0 else line[: max(0, lead + by * len(unit))]
            out.append(indent + body)
            out_own.append([bo[0]] * len(indent) + bo)
        else:
            out.append(line)
            out_own.append(o)
    text_out = "\n".join(out)
    own_out: Owners = []
    for n, o in enumerate(out_own):
        own_out.extend(o)
        if n < len(out_own) - 1:
            own_out.append(o[-1] if o else H)
    return text_out, own_out


# -- what the current tests cover --------------------------------------------------------


def typing_py() -> Trace:
    t = Trace("typing-py", "typing")
    d = t.open("app.py", PY_HUMAN)
    t.type(d, _end(d), "\n\ndef helper(values):\n    return [v * 2 for v in values if v]\n")
    t.check()
    return t


def completion_declared_py() -> Trace:
    t = Trace("completion-py", "completion")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, _end(d), "\n\n" + PY_AI, declare="copilot")
    t.check()
    t.type(d, d.find("reverse=True") + len("reverse=True"), "")
    t.type(d, _end(d), "\nprint(summarize_orders([]))\n")
    t.check()
    return t


def paste_ai_ts() -> Trace:
    t = Trace("paste-block-ts", "completion")
    d = t.open("users.ts", TS_HUMAN)
    t.ai(d, _end(d), "\n" + TS_AI)
    t.check()
    return t


def undo_redo_py() -> Trace:
    t = Trace("undo-redo-py", "undo/redo")
    d = t.open("app.py", PY_HUMAN)
    at = _end(d)
    t.ai(d, at, "\n\n" + PY_AI)
    t.check()
    t.delete(d, at, _end(d))  # undo
    t.check()
    t.ai(d, at, "\n\n" + PY_AI)  # redo
    t.check()
    s, e = _lines(d, 9, 12)  # a person's function, deleted and undone
    text, own = t.cut(d, s, e)
    t.change(d, [(s, s, text, own)])
    t.check()
    return t


def cut_paste_py() -> Trace:
    t = Trace("cut-paste-py", "cut/paste")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, _end(d), "\n\n" + PY_AI)
    s, e = _lines(d, 9, 12)  # main(), a person's
    text, own = t.cut(d, s, e)
    t.change(d, [(_end(d), _end(d), "\n" + text, [H, *own])])
    t.check()
    s = d.find("def summarize_orders")  # the AI function, moved to the top
    e = d.find("\ndef main") + 1
    text, own = t.cut(d, s, e)
    at = d.find("def load_config")
    t.change(d, [(at, at, text + "\n\n", [*own, H, H])])
    t.check()
    return t


def multi_cursor_ts() -> Trace:
    t = Trace("multi-cursor-ts", "multi-cursor")
    d = t.open("users.ts", TS_HUMAN)
    t.ai(d, _end(d), "\n" + TS_AI)
    edits = []
    for needle in ("const raw", "const groups", "const domain"):
        at = d.find(needle)
        edits.append((at, at + len("const"), "let", H))
    t.change_at(d, edits)
    t.check()
    return t


def snippet_ts() -> Trace:
    t = Trace("snippet-ts", "snippet")
    d = t.open("users.ts", TS_HUMAN)
    at = d.find('    return "Hello')
    t.change(d, [(at, at, "    for (let i = 0; i < n; i++) {\n        \n    }\n", H)])
    t.type(d, d.find("        \n    }") + 8, "log(i);")
    t.check()
    return t


def organize_imports_py() -> Trace:
    t = Trace("organize-imports-py", "organize imports")
    d = t.open(
        "app.py",
        "import sys\nimport json\nimport os\nfrom pathlib import Path\n\n"
        + PY_HUMAN.split("\n\n\n", 1)[1],
    )
    t.ai(d, _end(d), "\n\n" + PY_AI)
    s, e = _lines(d, 0, 3)
    block = "import json\nimport os\nimport sys\nfrom pathlib import Path\n"
    t.change(d, [(s, e, block, H)])
    t.check()
    return t


# -- formatters ---------------------------------------------------------------------------


def format_human_py() -> Trace:
    t = Trace("format-human-py", "formatter")
    d = t.open(
        "app.py",
        PY_HUMAN.replace(
            "def main(argv):", "def main(argv, verbose=False, retries=3, *, prefix='cfg'):"
        ),
    )
    format_doc(t, d, BLACK, "    ")
    t.check()
    return t


def format_ai_chunk_py() -> Trace:
    t = Trace("format-ai-py", "formatter")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, _end(d), "\n\n" + PY_AI, declare="copilot")
    t.check()
    format_doc(t, d, BLACK, "    ")
    t.check()
    return t


def format_wrap_unwrap_py() -> Trace:
    t = Trace("format-twice-py", "formatter")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, _end(d), "\n\n" + PY_AI)
    format_doc(t, d, BLACK, "    ")
    t.check()
    format_doc(t, d, BLACK_WIDE, "    ")
    t.check()
    t.type(d, _end(d), "\nx = summarize_orders([])\n")
    format_doc(t, d, BLACK, "    ")
    t.check()
    return t


def format_ts() -> Trace:
    t = Trace("format-ts", "formatter")
    d = t.open("users.ts", TS_HUMAN)
    t.ai(d, _end(d), "\n" + TS_AI)
    format_doc(t, d, PRETTIER, "    ")
    t.check()
    return t


def format_go() -> Trace:
    t = Trace("format-go", "formatter")
    d = t.open("store.go", GO_HUMAN.replace("total := 0", "total:=0"))
    t.ai(d, _end(d), "\n" + GO_AI.replace("seen := make", "seen:=make"))
    format_doc(t, d, GOFMT, "\t")
    t.check()
    return t


def format_ranged_ts() -> Trace:
    """textDocument/formatting's result applied as one edit over the whole text."""
    t = Trace("format-ranged-ts", "formatter")
    d = t.open("users.ts", TS_HUMAN)
    t.ai(d, _end(d), "\n" + TS_AI, declare="copilot")
    from tests.lsp.replay import reformat

    text, own = reformat(d.text, d.own, PRETTIER, "    ")
    t.change(d, [(0, len(d.text), text, own)])
    t.check()
    return t


def format_on_save_disk_py() -> Trace:
    """black rewrote the file on disk; the editor reloads it."""
    t = Trace("format-disk-py", "formatter")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, d.find("def main"), PY_AI + "\n\n")
    t.save(d)
    from tests.lsp.replay import reformat

    text, own = reformat(d.text, d.own, BLACK, "    ")
    t.reload(d, text, own)
    t.check()
    return t


def format_go_whole_file() -> Trace:
    t = Trace("format-go-reflow", "formatter")
    d = t.open("store.go", GO_HUMAN.replace("\t", "    "))
    t.ai(d, _end(d), "\n" + GO_AI.replace("\t", "    "))
    format_doc(t, d, GOFMT, "    ")
    t.check()
    return t


# -- refactorings --------------------------------------------------------------------------


def _rename(t: Trace, d: Doc, old: str, new: str) -> None:
    edits = []
    at = d.text.find(old)
    while at != -1:
        who = d.own[at]
        edits.append((at, at + len(old), new, who))
        at = d.text.find(old, at + len(old))
    t.change_at(d, edits)


def rename_py() -> Trace:
    t = Trace("rename-py", "rename")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, _end(d), "\n\n" + PY_AI.replace("orders", "config"))
    _rename(t, d, "config", "settings")
    t.check()
    return t


def rename_ts() -> Trace:
    t = Trace("rename-ts", "rename")
    d = t.open("users.ts", TS_HUMAN)
    t.ai(d, _end(d), "\n" + TS_AI)
    _rename(t, d, "emails", "addresses")
    _rename(t, d, "path", "filePath")
    t.check()
    return t


def _extract(
    t: Trace,
    d: Doc,
    first: int,
    last: int,
    call: str,
    at_line: int,
    head: str,
    tail: str,
    indent_by: int,
    unit: str = "    ",
) -> None:
    """Lines first..last leave for a new function (``head``, the lines re-indented,
    ``tail``) inserted before line ``at_line``; ``call`` takes their place. One
    workspace edit: the removal first, then the insertion."""
    s, e = _lines(d, first, last)
    body, own = d.text[s:e], d.own[s:e]
    moved, moved_own = _reindent(body, own, indent_by, unit)
    at = d.line_start(at_line)
    block = head + moved + tail
    block_own = owners(head, H) + moved_own + owners(tail, H)
    t.change(d, [(s, e, call, H), (at, at, block, block_own)])


def extract_function_py() -> Trace:
    t = Trace("extract-human-py", "extract/inline")
    d = t.open(
        "report.py",
        dedent(
            """
            def report(rows, out):
                header = ', '.join(rows[0].keys())
                out.write(header + '\\n')
                for row in rows:
                    values = [str(row[k]) for k in row]
                    out.write(', '.join(values) + '\\n')
                out.flush()
            """
        ),
    )
    _extract(
        t, d, 3, 5, "    write_rows(rows, out)\n", 0, "def write_rows(rows, out):\n", "\n\n", 0
    )
    t.check()
    return t


def extract_ai_py() -> Trace:
    t = Trace("extract-ai-py", "extract/inline")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, _end(d), "\n\n" + PY_AI)
    first = d.text[: d.find("    totals = {}")].count("\n")
    _extract(
        t,
        d,
        first + 1,
        first + 3,
        "    totals = add_up(orders)\n",
        first - 1,
        "def add_up(orders):\n    totals = {}\n",
        "    return totals\n\n\n",
        0,
    )
    t.check()
    return t


def extract_method_ts() -> Trace:
    t = Trace("extract-ts", "extract/inline")
    d = t.open("users.ts", TS_HUMAN)
    t.ai(d, _end(d), "\n" + TS_AI)
    line = d.text[: d.find("        const domain")].count("\n")
    _extract(
        t,
        d,
        line,
        line + 1,
        "        addTo(groups, email);\n",
        line - 4,
        "function addTo(groups: Map<string, string[]>, email: string): void {\n",
        "}\n\n",
        -1,
    )
    t.check()
    return t


def extract_go() -> Trace:
    t = Trace("extract-go", "extract/inline")
    d = t.open("store.go", GO_HUMAN)
    line = d.text[: d.find("\tfor _, item")].count("\n")
    _extract(
        t,
        d,
        line,
        line + 4,
        "\ttotal = countNonEmpty(items)\n",
        line - 3,
        "func countNonEmpty(items []string) int {\n\ttotal := 0\n",
        "\treturn total\n}\n\n",
        0,
        "\t",
    )
    t.check()
    return t


def inline_variable_py() -> Trace:
    t = Trace("inline-py", "extract/inline")
    d = t.open("app.py", PY_HUMAN)
    s, e = _lines(d, 10, 10)  # config = load_config(argv[1])
    expr = "load_config(argv[1])"
    use = d.find("len(config)") + 4
    t.change(d, [(use, use + len("config"), expr, H), (s, e, "", H)])
    t.check()
    return t


def inline_function_ts() -> Trace:
    t = Trace("inline-ts", "extract/inline")
    d = t.open("users.ts", TS_HUMAN + '\nexport const welcome = greet("team");\n')
    at = d.find('greet("team")')
    fn_s = d.find("export function greet")
    fn_e = d.text.find("}\n", fn_s) + 2
    t.change(d, [(at, at + len('greet("team")'), '"Hello, " + "team"', H), (fn_s, fn_e, "", H)])
    t.check()
    return t


def move_to_file_py() -> Trace:
    t = Trace("move-file-py", "move")
    a = t.open("app.py", PY_HUMAN)
    t.ai(a, _end(a), "\n\n" + PY_AI, declare="claude")
    b = t.open("util.py", "import os\n")
    s = a.find("def summarize_orders")
    text, own = t.cut(a, s, _end(a))
    t.change(b, [(_end(b), _end(b), "\n\n" + text, [H, H, *own])])
    s, e = _lines(a, 4, 7)  # load_config, a person's
    text, own = t.cut(a, s, e)
    t.change(b, [(len("import os\n"), len("import os\n"), "\n\n" + text, [H, H, *own])])
    t.check()
    return t


# -- reloads from disk ---------------------------------------------------------------------


def _with_block(doc: Doc, line: int, block: str, who: str = A) -> tuple[str, Owners]:
    at = doc.line_start(line)
    return doc.text[:at] + block + doc.text[at:], doc.own[:at] + owners(block, who) + doc.own[at:]


def agent_reload_py() -> Trace:
    t = Trace("agent-reload-py", "reload")
    d = t.open("app.py", PY_HUMAN)
    text, own = _with_block(d, 8, PY_AI + "\n\n")
    t.reload(d, text, own)
    t.check()
    return t


def agent_reload_neighbour_py() -> Trace:
    """The new block ends like the line after it: its boundary must come from the diff."""
    t = Trace("agent-reload-edge-py", "reload")
    d = t.open("app.py", PY_HUMAN)
    block = "    if not argv:\n        print('usage: app CONFIG')\n        return 2\n"
    text, own = _with_block(d, 10, block)
    t.reload(d, text, own)
    t.check()
    block = "def usage(name):\n    return 'usage: ' + name + ' CONFIG'\n\n\n"
    text, own = _with_block(d, d.text[: d.find("def main")].count("\n"), block)
    t.reload(d, text, own)
    t.check()
    return t


def tool_rewrote_part_ts() -> Trace:
    t = Trace("tool-rewrite-ts", "reload")
    d = t.open("users.ts", TS_HUMAN)
    s, e = _lines(d, 7, 9)  # greet(), rewritten
    new = (
        'export function greet(name: string, greeting = "Hello"): string {\n'
        "    const trimmed = name.trim();\n"
        '    return `${greeting}, ${trimmed.length ? trimmed : "stranger"}`;\n'
        "}\n"
    )
    text = d.text[:s] + new + d.text[e:]
    own = d.own[:s] + owners(new, A) + d.own[e:]
    t.reload(d, text, own)
    t.check()
    return t


def checkout_branch_py() -> Trace:
    """A branch a person wrote, checked out under the open editor."""
    t = Trace("checkout-py", "git reload")
    d = t.open("app.py", PY_HUMAN)
    t.git("add", "-A")
    t.git("commit", "-qm", "base")
    t.git("checkout", "-q", "-b", "feature-checkout")
    branch = PY_HUMAN + (
        "\n\ndef retry(action, attempts=3):\n"
        "    for attempt in range(attempts):\n"
        "        try:\n"
        "            return action()\n"
        "        except OSError:\n"
        "            if attempt == attempts - 1:\n"
        "                raise\n"
    )
    t.file("app.py", branch)
    t.git("add", "-A")
    t.git("commit", "-qm", "retry")
    t.git("checkout", "-q", "-")
    t.file("app.py", PY_HUMAN)
    t.git("checkout", "-q", "feature-checkout")
    t.whole(d, branch, owners(branch, H))
    t.check()
    t.git("checkout", "-q", "-")
    t.whole(d, PY_HUMAN, owners(PY_HUMAN, H))
    t.check()
    return t


def checkout_ranged_ts() -> Trace:
    """The same, with the editor sending the reload as one ranged change over the text."""
    t = Trace("checkout-ranged-ts", "git reload")
    d = t.open("users.ts", TS_HUMAN)
    t.git("add", "-A")
    t.git("commit", "-qm", "ts base")
    t.git("checkout", "-q", "-b", "feature-ranged")
    branch = TS_HUMAN + (
        "\nexport function initials(name: string): string {\n"
        "    return name.split(\" \").map((part) => part[0] ?? \"\").join(\"\");\n"
        "}\n"
    )
    t.file("users.ts", branch)
    t.git("add", "-A")
    t.git("commit", "-qm", "initials")
    t.git("checkout", "-q", "-")
    t.file("users.ts", TS_HUMAN)
    t.git("checkout", "-q", "feature-ranged")
    t.change(d, [(0, len(d.text), branch, H)])
    t.check()
    return t


def stash_pop_py() -> Trace:
    t = Trace("stash-pop-py", "git reload")
    d = t.open("app.py", PY_HUMAN)
    t.git("add", "-A")
    t.git("commit", "-qm", "stash base")
    t.type(d, d.find("    return 0"), "    for name in argv[2:]:\n        print('extra', name)\n")
    t.ai(d, _end(d), "\n\n" + PY_AI)
    t.save(d)
    edited, edited_own = d.text, list(d.own)
    t.git("stash")
    t.reload(d, PY_HUMAN, owners(PY_HUMAN, H))
    t.check()
    t.git("stash", "pop")
    t.reload(d, edited, edited_own)
    t.check()
    return t


# -- copies between open files -------------------------------------------------------------


def paste_from_human_file_py() -> Trace:
    t = Trace("paste-human-py", "paste between files")
    src = t.open("lib.py", PY_HUMAN)
    d = t.open("app.py", "import os\n\n\n")
    s, e = _lines(src, 4, 7)
    text, own = src.text[s:e], src.own[s:e]
    t.change(d, [(_end(d), _end(d), text, own)])
    t.check()
    return t


def paste_from_ai_file_ts() -> Trace:
    t = Trace("paste-ai-ts", "paste between files")
    src = t.open("groups.ts", "// helpers\n")
    t.ai(src, _end(src), TS_AI, declare="cursor")
    d = t.open("users.ts", TS_HUMAN)
    text, own = src.text[len("// helpers\n") :], src.own[len("// helpers\n") :]
    t.change(d, [(_end(d), _end(d), "\n" + text, [H, *own])])
    t.check()
    return t


def paste_from_human_file_go() -> Trace:
    t = Trace("paste-human-go", "paste between files")
    src = t.open("store.go", GO_HUMAN)
    d = t.open("names.go", "package store\n\n")
    s = src.find("func Count")
    text, own = src.text[s:], src.own[s:]
    t.change(d, [(_end(d), _end(d), text, own)])
    t.check()
    return t


# -- agents and people in turn -------------------------------------------------------------


def interleaved_go() -> Trace:
    t = Trace("interleaved-go", "agent + typing")
    d = t.open("store.go", GO_HUMAN)
    text, own = _with_block(d, len(d.text.split("\n")) - 1, "\n" + GO_AI)
    t.reload(d, text, own)
    t.type(d, d.find("func Count"), "// Count counts the non-empty items.\n")
    t.check()
    line = d.text[: d.find("func Normalize")].count("\n")
    block = (
        "func Join(items []string, sep string) string {\n"
        "\treturn strings.Join(Dedupe(items), sep)\n"
        "}\n\n"
    )
    text, own = _with_block(d, line, block)
    t.reload(d, text, own)
    t.type(d, _end(d), '\nvar Version = "1.0"\n')
    t.check()
    return t


def interleaved_py() -> Trace:
    t = Trace("interleaved-py", "agent + typing")
    d = t.open("app.py", PY_HUMAN)
    text, own = _with_block(d, 8, PY_AI + "\n\n")
    t.reload(d, text, own)
    t.type(d, d.find("    return 0"), "    log = open('run.log', 'a')\n")
    big = (
        "def export_csv(rows, path):\n"
        "    import csv\n"
        "    with open(path, 'w', newline='') as fh:\n"
        "        writer = csv.writer(fh)\n"
        "        writer.writerows(rows)\n\n\n"
    )
    text, own = _with_block(d, 4, big)
    t.reload(d, text, own)
    format_doc(t, d, BLACK, "    ")
    t.check()
    return t


def agent_edit_then_format_ts() -> Trace:
    t = Trace("agent-format-ts", "agent + typing")
    d = t.open("users.ts", TS_HUMAN)
    text, own = _with_block(d, len(d.text.split("\n")) - 1, "\n" + TS_AI)
    t.reload(d, text, own)
    t.type(d, d.find("export function greet"), "// greets one user\n")
    format_doc(t, d, PRETTIER, "    ")
    t.check()
    return t


def extract_below_py() -> Trace:
    """The new function goes below: the editor applies the insertion before the removal."""
    t = Trace("extract-below-py", "extract/inline")
    d = t.open("app.py", PY_HUMAN)
    s, e = _lines(d, 10, 11)  # two lines of main()
    body, own = d.text[s:e], d.own[s:e]
    head = "\n\ndef load_and_report(argv):\n"
    tail = "    return config\n"
    end = _end(d)
    t.change(
        d,
        [
            (end, end, head + body + tail, owners(head, H) + own + owners(tail, H)),
            (s, e, "    config = load_and_report(argv)\n", H),
        ],
    )
    t.check()
    return t


def agent_rewrites_similar_py() -> Trace:
    """An agent rewrites a person's function into a similar one of its own."""
    t = Trace("agent-rewrite-py", "reload")
    d = t.open("app.py", PY_HUMAN)
    s, e = _lines(d, 4, 6)
    new = (
        "def load_config(path, encoding='utf-8'):\n"
        "    if not os.path.exists(path):\n"
        "        raise FileNotFoundError(path)\n"
        "    with open(path, encoding=encoding) as handle:\n"
        "        return handle.read().strip()\n"
    )
    t.reload(d, d.text[:s] + new + d.text[e:], d.own[:s] + owners(new, A) + d.own[e:])
    t.check()
    return t


def agent_formats_and_adds_py() -> Trace:
    """An agent adds a function and runs the formatter before the editor reloads."""
    t = Trace("agent-format-add-py", "reload")
    d = t.open("app.py", PY_HUMAN)
    from tests.lsp.replay import reformat

    text, own = _with_block(d, 8, PY_AI + "\n\n")
    text, own = reformat(text, own, BLACK, "    ")
    t.reload(d, text, own)
    t.check()
    return t


def format_edits_ts() -> Trace:
    """A formatter's result applied as many small edits in one didChange."""
    t = Trace("format-edits-ts", "formatter")
    d = t.open("users.ts", TS_HUMAN)
    t.ai(d, _end(d), "\n" + TS_AI)
    edits = []
    at = d.text.find('"')
    while at != -1:  # every double quote becomes a single one
        edits.append((at, at + 1, "'", d.own[at]))
        at = d.text.find('"', at + 1)
    for n, line in enumerate(d.text.split("\n")):  # four-space indentation becomes two
        lead = len(line) - len(line.lstrip(" "))
        if lead >= 4 and line.strip():
            start = d.line_start(n)
            edits.append((start, start + lead // 2, "", H))
    t.change_at(d, edits)
    t.check()
    return t


def extract_one_line_below_ts() -> Trace:
    """One line extracted into a function below; insertion applied before the removal."""
    t = Trace("extract-one-ts", "extract/inline")
    d = t.open("users.ts", TS_HUMAN)
    s, e = _lines(d, 3, 3)  # const raw = readFileSync(path, "utf8");
    body, own = d.text[s:e], d.own[s:e]
    head = "\nfunction readRaw(path: string): string {\n"
    tail = "    return raw;\n}\n"
    end = _end(d)
    t.change(
        d,
        [
            (end, end, head + body + tail, owners(head, H) + own + owners(tail, H)),
            (s, e, "    const raw = readRaw(path);\n", H),
        ],
    )
    t.check()
    return t


def extract_modified_py() -> Trace:
    """Moved into a method, with ``self.`` added on the way."""
    t = Trace("extract-touched-py", "extract/inline")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, len(d.text), "\n\n" + PY_AI)
    s, e = _lines(d, 10, 12)  # main()'s body, a person's
    body, own = _reindent(d.text[s:e], d.own[s:e], 1)
    at = body.index("load_config(")
    body = body[:at] + "self." + body[at:]
    own = own[:at] + owners("self.", H) + own[at:]
    head = "class App:\n    def run(self, argv):\n"
    t.change(
        d,
        [
            (s, e, "    return App().run(argv)\n", H),
            (0, 0, head + body + "\n", owners(head, H) + own + [H]),
        ],
    )
    t.check()
    return t


def black_parens_py() -> Trace:
    """black wraps a long AI expression in parentheses (a token the AI did not write)."""
    t = Trace("format-parens-py", "formatter")
    d = t.open("app.py", PY_HUMAN)
    long = "first_component_value + second_component_value + third_component_value_here"
    t.ai(d, len(d.text), f"\n\nresult = {long}\nother = result * 2 + 1\n")
    at = d.find("result = ")
    line_end = d.text.index("\n", at)
    new = "result = (\n    " + long.replace(" + ", "\n    + ") + "\n)"
    t.whole(
        d, d.text[:at] + new + d.text[line_end:], d.own[:at] + owners(new, A) + d.own[line_end:]
    )
    t.check()
    return t


def _statement_end(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and stripped[-1] not in "{}(,["
        and not stripped.startswith(("//", "export function", "for"))
    )


def prettier_semicolons_ts() -> Trace:
    """prettier adds the semicolons a file left out, and requotes and rewraps it."""
    t = Trace("format-semicolons-ts", "formatter")
    d = t.open("users.ts", TS_HUMAN.replace(";\n", "\n"))
    t.ai(d, len(d.text), "\n" + TS_AI.replace(";\n", "\n"))
    text, own = reformat(d.text, d.own, PRETTIER, "    ")
    lines: list[tuple[str, Owners]] = []
    pos = 0
    for line in text.split("\n"):
        o = own[pos : pos + len(line)]
        pos += len(line) + 1
        if _statement_end(line):
            line, o = line + ";", [*o, o[-1]]
        lines.append((line, o))
    text = "\n".join(line for line, _ in lines)
    own = []
    for n, (_, o) in enumerate(lines):
        own += o
        if n < len(lines) - 1:
            own.append(o[-1] if o else H)
    t.whole(d, text, own)
    t.check()
    return t


def range_format_py() -> Trace:
    """Format selection over the AI function only."""
    t = Trace("format-range-py", "formatter")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, len(d.text), "\n\n" + PY_AI)
    s = d.find("def summarize_orders")
    text, own = reformat(d.text[s:], d.own[s:], BLACK, "    ")
    t.change(d, [(s, len(d.text), text, own)])
    t.check()
    return t


def reindent_paste_ai_py() -> Trace:
    """An AI function cut and pasted into a class in another file."""
    t = Trace("move-into-class-py", "move")
    d = t.open("app.py", PY_HUMAN)
    t.ai(d, len(d.text), "\n\n" + PY_AI, declare="copilot")
    text, own = t.cut(d, d.find("def summarize_orders"), len(d.text))
    b = t.open("svc.py", "class Service:\n    pass\n")
    moved, mo = _reindent(text, own, 1)
    t.change(b, [(len(b.text), len(b.text), "\n" + moved, [H, *mo])])
    t.check()
    return t


def eof_no_newline_py() -> Trace:
    """An agent appends to a file that had no final line break."""
    t = Trace("agent-append-eof-py", "reload")
    base = PY_HUMAN.rstrip("\n")
    d = t.open("app.py", base)
    block = (
        "\n\n\ndef helper(values, scale=2):\n"
        "    return [v * scale for v in values if v is not None]"
    )
    t.reload(d, base + block, d.own + owners(block, A))
    t.check()
    return t


TRACE_BUILDERS: list[Callable[[], Trace]] = [
    typing_py,
    completion_declared_py,
    paste_ai_ts,
    undo_redo_py,
    cut_paste_py,
    multi_cursor_ts,
    snippet_ts,
    organize_imports_py,
    format_human_py,
    format_ai_chunk_py,
    format_wrap_unwrap_py,
    format_ts,
    format_go,
    format_ranged_ts,
    format_on_save_disk_py,
    format_go_whole_file,
    rename_py,
    rename_ts,
    extract_function_py,
    extract_ai_py,
    extract_method_ts,
    extract_go,
    inline_variable_py,
    inline_function_ts,
    move_to_file_py,
    agent_reload_py,
    agent_reload_neighbour_py,
    tool_rewrote_part_ts,
    checkout_branch_py,
    checkout_ranged_ts,
    stash_pop_py,
    paste_from_human_file_py,
    paste_from_ai_file_ts,
    paste_from_human_file_go,
    interleaved_go,
    interleaved_py,
    agent_edit_then_format_ts,
    extract_below_py,
    agent_rewrites_similar_py,
    agent_formats_and_adds_py,
    format_edits_ts,
    extract_one_line_below_ts,
    extract_modified_py,
    black_parens_py,
    prettier_semicolons_ts,
    range_format_py,
    reindent_paste_ai_py,
    eof_no_newline_py,
]

TRACES = [build() for build in TRACE_BUILDERS]
_ = (A, H)
