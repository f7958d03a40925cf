"""Estonian word forms for search (`search/forms.py`): what pages carry and how a typed form finds it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from abikaart.directory import load_directory
from abikaart.site.search.forms import EstonianForms, form_table, words
from abikaart.site.search.index import situations, write_words

ROOT = Path(__file__).resolve().parents[2]

TEXTS = ["Lähisuhtevägivald ja seksuaalvägivald: naine, ohver, vald"]


@pytest.fixture(scope="module")
def forms() -> EstonianForms:
    return EstonianForms(TEXTS)


def test_words_are_lower_cased_and_hyphenated_compounds_also_split() -> None:
    assert words("Lähisuhte-vägivald ja 116 006, Tartus") == [
        "lähisuhte-vägivald", "lähisuhte", "vägivald", "ja", "tartus"]


def test_a_page_carries_a_compounds_lemma_and_its_word_length_tails(forms: EstonianForms) -> None:
    carried = forms.lemmas("lähisuhtevägivallast")
    assert {"lähisuhtevägivald", "suhtevägivald", "vägivald"} <= carried
    assert "vald" not in carried  # a parish is no violence: too short a tail of a tail


@pytest.mark.parametrize(("typed", "lemma"), [
    ("vägivallast", "vägivald"), ("naistele", "naine"), ("ohvritele", "ohver"),
    ("seksuaalvägivallaga", "seksuaalvägivald"), ("lähisuhtevägivallast", "lähisuhtevägivald")])
def test_a_typed_form_maps_to_a_lemma_the_pages_carry(forms: EstonianForms, typed: str, lemma: str) -> None:
    table = form_table(forms, TEXTS)
    assert table[typed] == lemma
    carried = set().union(*(forms.lemmas(word) for text in TEXTS for word in words(text)))
    assert table[typed] in carried


def test_the_table_holds_only_forms_of_the_sites_words(forms: EstonianForms) -> None:
    table = form_table(forms, TEXTS)
    assert "koertele" not in table and "maja" not in table


def test_the_word_list_carries_each_needs_name_and_phrases(tmp_path: Path) -> None:
    """search.js lists a need's services first when the query says one of these (`situation`)."""
    loaded = load_directory(ROOT / "directory", base=ROOT).directory
    assert loaded is not None
    needs = situations(loaded, "ru")
    assert "насилие в семье" in needs["domestic-violence"]
    assert "насилие в близких отношениях" in needs["domestic-violence"]  # the need's name, lower case
    assert "насилие в семье" not in needs["using-violence"]
    target = tmp_path / "words.json"
    write_words(target, {"vägivald", "abi"}, {"vägivallast": "vägivald", "vägivalda": "vägivald"}, needs)
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["words"] == ["vägivald 0a 1last", "abi"]  # vägivalda, vägivallast: see `relative`
    assert written["needs"] == needs
