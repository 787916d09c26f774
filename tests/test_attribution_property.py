"""Range tracking against a reference model of which byte came from which chunk."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from genguard.attribution.tracker import ChunkTracker, Thresholds
from genguard.syntax.fingerprint import fingerprint

ALPHABET = "ab \n"


class Model:
    """The obvious implementation: one owner per byte."""

    def __init__(self) -> None:
        self.text = b""
        self.owner: list[str | None] = []

    def replace(self, start: int, end: int, new: bytes, owner: str | None) -> None:
        self.text = self.text[:start] + new + self.text[end:]
        self.owner[start:end] = [owner] * len(new)

    def reassign(self, start: int, end: int, owner: str | None) -> None:
        self.owner[start:end] = [owner] * (end - start)


class NoOrigins:
    """Moves and copies are tested on their own; here every insertion has one owner."""

    def removed(self, file: str, lines: object) -> None:
        pass

    def lookup(self, file: str, keys: list, **_: object) -> list:
        return [None] * len(keys)


edit = st.tuples(
    st.sampled_from(["edit", "edit", "edit", "ai", "human"]),
    st.floats(0, 1),
    st.floats(0, 1),
    st.text(alphabet=ALPHABET, max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(edit, max_size=25))
def test_tracker_matches_reference_model(ops: list[tuple[str, float, float, str]]) -> None:
    thresholds = Thresholds(min_lines=2, min_chars=8)
    tracker = ChunkTracker(
        "f.txt", lambda b: fingerprint(b, None), thresholds, origins=NoOrigins()
    )
    model = Model()
    for op, a, b, text in ops:
        size = len(model.text)
        start = int(a * size)
        end = start + int(b * (size - start))
        new = text.encode()
        if op == "edit":
            document = model.text[:start] + new + model.text[end:]
            removed = model.text[start:end]
            out = tracker.apply_edit(start, end, new, removed, document=document)
            born = out.created + out.restored
            owner = born[0].id if born else None
            model.replace(start, end, new, owner)
        elif op == "ai" and end > start:
            chunk, _ = tracker.declare_ai(start, end, tool="t", text=model.text[start:end])
            model.reassign(start, end, chunk.id)
        elif op == "human":
            tracker.declare_human(start, end)
            model.reassign(start, end, None)
        expected = model.owner
        actual = [tracker.owner_of(i) for i in range(len(model.text))]
        assert actual == expected
        for chunk in tracker.live():
            assert chunk.segments, "a live chunk has text"
            assert 0.0 <= chunk.human_edited_share <= 1.0
            assert all(s < e for s, e in chunk.segments)
