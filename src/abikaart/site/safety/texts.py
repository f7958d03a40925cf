"""The quick exit's words in each language of the site (Estonian is the fallback), from
`templates/strings-safety.yaml` (`exit_*` keys) through `abikaart.strings`."""

from __future__ import annotations

from typing import TypedDict

from abikaart.models import LANGS
from abikaart.strings import strings


class ExitTexts(TypedDict):
    """What the quick exit shows and announces; `left_2`/`left_1` are said after the first and second Shift."""

    label: str
    hint: str
    left_2: str
    left_1: str
    exiting: str
    cancelled: str


def _texts(lang: str) -> ExitTexts:
    s = strings()[lang]
    return ExitTexts(label=s["exit_label"], hint=s["exit_hint"], left_2=s["exit_left_2"], left_1=s["exit_left_1"],
                     exiting=s["exit_exiting"], cancelled=s["exit_cancelled"])


EXIT_TEXTS: dict[str, ExitTexts] = {lang: _texts(lang) for lang in LANGS}


def exit_texts(lang: str) -> ExitTexts:
    """Texts for `lang` (`ru`, `ru-RU`...), Estonian when the language is not translated."""
    return EXIT_TEXTS.get(lang.split("-")[0].lower(), EXIT_TEXTS["et"])
