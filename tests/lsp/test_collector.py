"""The server's use of the cyclic garbage collector (genguard.lsp.collector)."""

from __future__ import annotations

import gc
import weakref

from genguard.lsp.collector import MAX_HELD, Collector


def test_held_from_an_edit_until_its_answer_then_collecting_again():
    collector = Collector()
    assert gc.isenabled()
    try:
        collector.hold()
        collector.hold()  # a second edit before the answer: still one hold
        assert not gc.isenabled()
        collector.release()
        assert gc.isenabled()
        collector.release()  # nothing held: nothing to do
        assert gc.isenabled()
    finally:
        gc.enable()


def test_edits_that_never_pause_still_get_their_garbage_collected():
    class Node:
        other: object = None

    collector = Collector()
    try:
        collector.hold()
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the cyclic collector frees it
        gone = weakref.ref(a)
        del a, b
        for _ in range(MAX_HELD - 1):
            collector.hold()
        assert gone() is not None
        collector.hold()
        assert gone() is None
        assert not gc.isenabled()  # still held: no answer was due
    finally:
        collector.release()
        gc.enable()


def test_a_collector_someone_else_turned_off_stays_off():
    collector = Collector()
    gc.disable()
    try:
        collector.hold()
        collector.release()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_documents_hold_is_frozen_until_one_is_closed():
    try:
        Collector.keep()
        assert gc.get_freeze_count() > 0
        Collector.forget()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
