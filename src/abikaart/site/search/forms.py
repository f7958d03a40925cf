"""Estonian word forms for the search index, from simplemma's form -> lemma dictionary turned around.

Pagefind's Estonian Snowball stemmer only strips endings, so `vägivallast` never meets `vägivald` (consonant
gradation) and `naistele` never meets `naine`. A page therefore carries, in a hidden searchable field, the
inflected forms of its key words: every form simplemma maps to the same lemma, and for a compound it does not
know (`lähisuhtevägivald`), the forms of its longest known tail on the same head, plus the tail's own forms.
EstNLTK would be more exact but is about 580 MB installed; simplemma is 0.7 MB a language with no dependencies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import simplemma
from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MIN_TAIL = 4
"""The shortest compound tail looked up (`abi` in `ohvriabi` is too short to tell apart from an ending)."""
MIN_HEAD = 3


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased (hyphenated compounds split too)."""
    found = []
    for word in WORD.findall(text.casefold()):
        found.append(word)
        if "-" in word:
            found += word.split("-")
    return found


def lemma(word: str) -> str:
    return str(simplemma.lemmatize(word, lang="et"))


@cache
def _dictionary() -> dict[bytes, bytes]:
    """simplemma's own decoded Estonian dictionary, the one `lemmatize` uses: decoding it takes seconds, so
    it must be decoded once, not once for the lemmas and again for the forms."""
    table: dict[bytes, bytes] = DEFAULT_DICTIONARY_FACTORY.get_dictionary("et")._dict  # type: ignore[attr-defined]
    return table


class EstonianForms:
    """Forms of the lemmas of a whole site, found in one pass over the dictionary."""

    def __init__(self, texts: Iterable[str]) -> None:
        lemmas = {lemma(word) for text in texts for word in words(text)}
        wanted = {candidate.encode() for value in lemmas for candidate in _tails(value)} | {
            value.encode() for value in lemmas}
        table: dict[str, set[str]] = {}
        for form, base in _dictionary().items():
            if base in wanted:
                table.setdefault(base.decode(), set()).add(form.decode())
        self._table = table

    def of_word(self, word: str) -> set[str]:
        """Every form of `word`'s lemma (and of its compound tail), `word` and its lemma included."""
        base = lemma(word)
        known = self._table.get(base, set())
        found = {word, base} | known
        for tail in _tails(base):
            if tail in self._table:
                found |= self._table[tail]
                if not known:
                    head = base[: len(base) - len(tail)]
                    found |= {head + form for form in self._table[tail]}
                break
        return found

    def of_text(self, text: str) -> set[str]:
        return {form for word in words(text) for form in self.of_word(word)}


def _tails(word: str) -> list[str]:
    """Proper endings of `word` that could be the last part of a compound, longest first."""
    return [word[start:] for start in range(MIN_HEAD, len(word) - MIN_TAIL + 1)]
