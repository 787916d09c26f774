"""The sink-word finder split over several RE2 programs finds exactly what one
alternation of all the words finds: the functions analysed depend on it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import re2

from genguard.rules import CompiledRules, load_rules
from genguard.taint import model as taint_model
from genguard.taint.model import WORDS_PER_PROGRAM, WordFinder
from genguard.taint.spec import NamePattern

ROOT = Path(__file__).resolve().parent / "taint"
LANGUAGES = {
    "python": "corpus",
    "javascript": "corpus-js",
    "go": "corpus-go",
    "java": "corpus-java",
}
SYLLABLES = "exec run sql raw load dump open send make query spawn call read eval fetch render"


def _alternation(words: list[str]) -> re2._Regexp:
    """The one program the finder replaces; a large cap only keeps it fast here
    (RE2 finds the same matches whichever way it runs)."""
    options = re2.Options()
    options.max_mem = 1 << 30
    return re2.compile("|".join(taint_model._MENTION[w] for w in words).encode(), options)


def _words(language: str, times: int) -> list[str]:
    """The language's sink words and generated ones up to ``times`` as many: plain
    names, called or not, with and without a receiver or module, and near-misses of
    the real ones (``execute`` beside ``exec``)."""
    model = CompiledRules(load_rules()).matcher_for(language).taint
    assert model is not None
    words = {w for rule in model.rules for w in rule.words}
    wanted = times * len(words)
    rnd = random.Random(language)
    syllables = SYLLABLES.split()
    while len(words) < wanted:
        name = "".join(rnd.choice(syllables) for _ in range(rnd.randint(1, 3)))
        form = rnd.choice(["*.{}", "{}", "mod.{}", "a.b.{}", "*.{}.x"]).format(name)
        words.add(taint_model._mention(NamePattern.parse(form), call=rnd.random() < 0.7))
    return sorted(words)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_split_finder_finds_what_one_alternation_finds(language: str) -> None:
    files = sorted(p for p in (ROOT / LANGUAGES[language]).rglob("*") if p.is_file())
    texts = [p.read_bytes() for p in files]
    # mentions side by side and inside one another, where one match can hide the next
    texts.append(b"open(eval(x)) os.system(os.popen(y)).execute(z) #exec(\n eval (q)")
    for times in (1, 5):
        words = _words(language, times)
        finder, reference = WordFinder(words), _alternation(words)
        assert len(finder.programs) == -(-len(words) // WORDS_PER_PROGRAM) > (times > 1)
        found = 0
        for text in texts:
            want = [(m.start(), m.end(), m.group()) for m in reference.finditer(text)]
            got = [(m.start(), m.end(), m.group()) for m in finder.finditer(text)]
            assert got == want
            found += len(want)
        assert found > len(texts)  # the texts do mention sinks
