"""Copies found by line keys over a document split once (with remembered keys) agree
with the straightforward reading of its lines one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from genguard.attribution.moves import _copied_lines, copied_lines, line_key

LINES = [
    b"value = compute(x)",
    b"return value",
    b"    return   value",
    b"print('hello world')",
    b'print("hello world")',
    b"x",
    b"",
    b"foo(bar, baz,)",
    b"foo(bar, baz)",
    b"def handler(request):",
    b"    return eval(data)",
]
BREAKS = [b"\n", b"\r\n", b"\r"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(LINES), st.sampled_from(BREAKS)), max_size=30),
    st.lists(st.sampled_from(LINES), min_size=1, max_size=5),
    st.booleans(),
)
def test_copied_lines_agree_with_a_line_by_line_reading(lines, wanted_lines, unix) -> None:
    data = b"".join(text + (b"\n" if unix else brk) for text, brk in lines)
    wanted = [k for k in map(line_key, wanted_lines) if k is not None]

    def owner(start: int, end: int):
        return (start, end)  # stands for the chunk: the span it was asked about

    fast = copied_lines(wanted, data, owner)  # type: ignore[arg-type]
    plain = _copied_lines(wanted, data.splitlines(keepends=True), owner)  # type: ignore[arg-type]
    assert {k: o.chunk for k, o in fast.items()} == {k: o.chunk for k, o in plain.items()}
