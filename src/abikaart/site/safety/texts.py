"""The quick exit's words in each language of the site (Estonian is the fallback)."""

from __future__ import annotations

from typing import TypedDict


class ExitTexts(TypedDict):
    """What the quick exit shows and announces; `left_2`/`left_1` are said after the first and second Shift."""

    label: str
    hint: str
    left_2: str
    left_1: str
    exiting: str
    cancelled: str


EXIT_TEXTS: dict[str, ExitTexts] = {
    "et": {
        "label": "Lahku kiiresti",
        "hint": "või vajuta kolm korda Shift",
        "left_2": "Shift: vajuta veel kaks korda, et lehelt lahkuda.",
        "left_1": "Shift: vajuta veel üks kord, et lehelt lahkuda.",
        "exiting": "Lahkun lehelt.",
        "cancelled": "Kiire lahkumine katkestati.",
    },
    "ru": {
        "label": "Быстрый выход",
        "hint": "или нажмите Shift три раза",
        "left_2": "Shift: нажмите ещё два раза, чтобы уйти со страницы.",
        "left_1": "Shift: нажмите ещё один раз, чтобы уйти со страницы.",
        "exiting": "Уходим со страницы.",
        "cancelled": "Быстрый выход отменён.",
    },
    "en": {
        "label": "Exit this page",
        "hint": "or press Shift three times",
        "left_2": "Shift: press 2 more times to exit this page.",
        "left_1": "Shift: press 1 more time to exit this page.",
        "exiting": "Exiting this page.",
        "cancelled": "Exit this page cancelled.",
    },
}


def exit_texts(lang: str) -> ExitTexts:
    """Texts for `lang` (`ru`, `ru-RU`...), Estonian when the language is not translated."""
    return EXIT_TEXTS.get(lang.split("-")[0].lower(), EXIT_TEXTS["et"])
