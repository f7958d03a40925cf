"""Letter templates: every template in every language fills to Markdown and Word, and bad values are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from abikaart.cli import main
from abikaart.letters import PLACEHOLDER, LetterError, load_letterhead, load_templates, render, write_letter
from abikaart.models import LANGS

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "letters"
TEMPLATES = load_templates(LETTERS)
REQUIRED = {"referral", "contact-confirmation", "information-request", "official-reply", "web-reply",
            "video-booking", "employer-school"}


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_the_seven_letters_of_the_issue_are_there() -> None:
    assert set(TEMPLATES) >= REQUIRED


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_language_uses_exactly_the_declared_variables(name: str) -> None:
    template = TEMPLATES[name]
    for lang in LANGS:
        used = set(PLACEHOLDER.findall(template.subject[lang] + template.body[lang]))
        assert used == set(template.variable_names()), (name, lang)
        assert all(v.label[lang].strip() for v in template.variables)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_renders_with_its_examples(name: str, lang: str, tmp_path: Path) -> None:
    template = TEMPLATES[name]
    letterhead = load_letterhead(LETTERS)
    md, docx_path = write_letter(render(template, lang, template.examples(), letterhead), tmp_path)
    md_text, word = md.read_text(encoding="utf-8"), docx_text(docx_path)
    for text in (md_text, word):
        assert "{{" not in text and "}}" not in text
        for value in template.examples().values():
            assert value in text, (name, lang, value)
        for line in letterhead[lang]:
            assert line in text
    doc = Document(str(docx_path))
    assert doc.paragraphs[len(letterhead[lang])].style.name == "Heading 1"
    assert len(doc.paragraphs) > len(letterhead[lang]) + 2  # real paragraphs, not one block


def test_a_value_stays_literal_text(tmp_path: Path) -> None:
    template = TEMPLATES["web-reply"]
    hostile = "{{ counsellor }} <script>alert(1)</script> **bold**"
    values = {**template.examples(), "reply": hostile, "counsellor": "K. Kask"}
    md, docx_path = write_letter(render(template, "en", values, load_letterhead(LETTERS)), tmp_path)
    assert hostile in md.read_text(encoding="utf-8")
    assert hostile in docx_text(docx_path)


def test_an_empty_optional_variable_leaves_its_line_out() -> None:
    template = TEMPLATES["referral"]
    values = {k: v for k, v in template.examples().items() if k != "name"}
    letter = render(template, "en", values, load_letterhead(LETTERS))
    lines = [line for p in letter.paragraphs for line in p]
    assert not any(line.startswith("Name:") for line in lines)
    assert any(line.startswith("Concern:") for line in lines)


def test_an_empty_name_leaves_the_greeting_without_it() -> None:
    template = TEMPLATES["web-reply"]
    values = {k: v for k, v in template.examples().items() if k != "name"}
    for lang, greeting in (("en", "Hello,"), ("et", "Tere"), ("ru", "Здравствуйте")):
        letter = render(template, lang, values, load_letterhead(LETTERS))
        assert letter.paragraphs[0] == (greeting,)


def test_render_refuses_missing_and_unknown_variables() -> None:
    template = TEMPLATES["referral"]
    letterhead = load_letterhead(LETTERS)
    missing = {k: v for k, v in template.examples().items() if k != "organisation"}
    with pytest.raises(LetterError, match=r"referral.*organisation"):
        render(template, "et", missing, letterhead)
    with pytest.raises(LetterError, match=r"referral.*colour"):
        render(template, "et", {**template.examples(), "colour": "red"}, letterhead)


def test_an_undeclared_placeholder_is_refused_at_load(tmp_path: Path) -> None:
    for name in ("variables.yaml", "letterhead.yaml"):
        (tmp_path / name).write_text((LETTERS / name).read_text(encoding="utf-8"), encoding="utf-8")
    text = {lang: {"subject": "S", "body": "{{ recipient }} {{ colour }}"} for lang in LANGS}
    (tmp_path / "bad.yaml").write_text(json.dumps({"title": {lang: "T" for lang in LANGS},
                                                   "variables": [{"name": "recipient"}], "text": text}))
    with pytest.raises(LetterError, match=r"bad.*colour"):
        load_templates(tmp_path)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_list_json_names_every_template_and_variable() -> None:
    code, out, _ = invoke("letter", "list", "--letters", str(LETTERS), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["name"] for r in rows} == set(TEMPLATES)
    referral = next(r for r in rows if r["name"] == "referral")
    assert {"name": "name", "required": False, "example": "Anna Tamm"} in referral["variables"]
    assert all({"name", "required", "example"} <= set(v) for r in rows for v in r["variables"])


def test_cli_render_writes_md_and_docx_from_set_and_values_file(tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("recipient: Dr Mets\nreference: 1-2/3\ncounsellor: K. Kask\n", encoding="utf-8")
    code, _, err = invoke("letter", "render", "official-reply", "--letters", str(LETTERS), "--lang", "ru",
                          "--values", str(values), "--set", "answer=Ответ {{ x }}", "--out", str(tmp_path / "o"))
    assert code == 0, err
    word = docx_text(tmp_path / "o" / "official-reply.ru.docx")
    assert "Dr Mets" in word and "Ответ {{ x }}" in word and "1-2/3" in word
    assert "Ответ {{ x }}" in (tmp_path / "o" / "official-reply.ru.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "named"), [
    (("nope",), "nope"),
    (("referral", "--set", "recipient=X"), "referral: required variable organisation"),
    (("web-reply", "--set", "reply=a", "--set", "counsellor=b", "--set", "colour=red"),
     "web-reply: unknown variable colour"),
])
def test_cli_errors_exit_1_naming_template_and_variable(args: tuple[str, ...], named: str, tmp_path: Path) -> None:
    code, _, err = invoke("letter", "render", *args, "--letters", str(LETTERS), "--out", str(tmp_path))
    assert code == 1
    assert named in err
    assert "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_letter_page_strings_have_the_same_keys_in_every_language() -> None:
    from abikaart.site.letter_pages import load_strings

    strings = load_strings(LETTERS)
    assert set(strings) == set(LANGS)
    keys = {lang: set(strings[lang]) for lang in LANGS}
    assert keys["ru"] == keys["et"] == keys["en"]
    assert all(len(strings[lang]["warnings"]) == len(strings["et"]["warnings"]) for lang in LANGS)


def test_letter_pages_show_template_text_as_text() -> None:
    from abikaart.site.letter_pages import render_letter_pages

    pages = render_letter_pages(LETTERS)
    assert {f"letters/{name}{s}.md" for name in TEMPLATES for s in ("", ".ru", ".en")} <= set(pages)
    referral = pages["letters/referral.en.md"]
    assert "`risk_level`" in referral and "Kind regards" in referral
    assert "{{" not in referral  # placeholders are printed as entities, so no template engine can read them
