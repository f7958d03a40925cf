"""Estonian word forms for search: pages carry lemmas, the search box turns what a person types into them.

Pagefind's Estonian Snowball stemmer only strips endings, so `vägivallast` never meets `vägivald` (consonant
gradation) and `naistele` never meets `naine`. A page therefore carries, in a hidden searchable field, the
lemmas of its words (simplemma, compounds included: `lähisuhtevägivallast` -> `lähisuhtevägivald`) and a
compound's tail lemma (`vägivald` for `seksuaalvägivald`); the page's search script maps a typed form to the
lemma with a table of the site's forms (`form_table`): every form simplemma maps to a lemma the site has,
and for a compound it does not know, its head on the forms of its longest known tail. One word a lemma on a
page instead of every form keeps the index small: forms multiplied the index by the number of pages.
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
MIN_INNER_TAIL = 6
"""The shortest tail of a compound's tail that a page also carries (`vald`, a parish, is no `vägivald`)."""


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased (hyphenated compounds split too)."""
    found = []
    for word in WORD.findall(text.casefold()):
        found.append(word)
        if "-" in word:
            found += word.split("-")
    return found


@cache
def lemma(word: str) -> str:
    """simplemma's lemma, lower-cased (it keeps proper names capitalised: `Tartus` -> `Tartu`)."""
    return str(simplemma.lemmatize(word, lang="et")).casefold()


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
        dictionary = _dictionary()
        keys = {}  # each lemma of the dictionary once (a few per cent of its entries), not once per form
        for base in set(dictionary.values()):
            key = base.decode().casefold()
            if base in wanted or key.encode() in wanted:
                keys[base] = key
        table: dict[str, set[str]] = {}
        for form, base in dictionary.items():
            if base in keys:
                table.setdefault(keys[base], set()).add(form.decode().casefold())
        self._table = table

    def _known_tails(self, base: str) -> list[str]:
        """Known compound tails of `base`, longest first: the longest always, shorter ones only when long
        enough to be a word of their own (`vägivald` in `lähisuhtevägivald`, not `vald`)."""
        known = [tail for tail in _tails(base) if tail in self._table]
        return known[:1] + [tail for tail in known[1:] if len(tail) >= MIN_INNER_TAIL]

    def lemmas(self, word: str) -> set[str]:
        """What a page with `word` carries for search: its lemma and, for a compound, its known tails' lemmas
        (`suhtevägivald` and `vägivald` for `lähisuhtevägivald`)."""
        base = lemma(word)
        return {base, *self._known_tails(base)}

    def forms(self, word: str) -> dict[str, str]:
        """Every form of `word`'s lemma (and of its compound tails), each with the lemma a search for it looks
        for: one that `lemmas` puts on the pages with `word`."""
        base = lemma(word)
        known = self._table.get(base, set())
        found = dict.fromkeys(known | {word, base}, base)
        tails = self._known_tails(base)
        for tail in tails:
            for form in self._table[tail]:
                found.setdefault(form, tail)
        if tails and not known:  # the compound in its forms: its head on the forms of its longest tail
            head = base[: len(base) - len(tails[0])]
            found.update({head + form: base for form in self._table[tails[0]]})
        return found


def form_table(forms: EstonianForms, texts: Iterable[str]) -> dict[str, str]:
    """Form -> lemma for the words of `texts`; a form two lemmas share goes to simplemma's own lemma of it (the one
    a page with that very form carries), else to the first in order."""
    candidates: dict[str, set[str]] = {}
    for text in texts:
        for word in words(text):
            for form, base in forms.forms(word).items():
                candidates.setdefault(form, set()).add(base)
    return {form: lemma(form) if lemma(form) in bases else min(bases) for form, bases in candidates.items()}


def _tails(word: str) -> list[str]:
    """Proper endings of `word` that could be the last part of a compound, longest first."""
    return [word[start:] for start in range(MIN_HEAD, len(word) - MIN_TAIL + 1)]
