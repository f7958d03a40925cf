"""Letter templates: every template in every language fills to Markdown and Word, and bad values are refused."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import markdown
import pytest
from click.testing import CliRunner
from docx import Document
from mkdocs.utils.yaml import yaml_load

from abikaart.cli import main
from abikaart.letters import (
    MARKER,
    PLACEHOLDER,
    LetterError,
    Template,
    load_letterhead,
    load_templates,
    render,
    template_docx,
    to_text,
    write_letter,
)
from abikaart.models import LANGS
from abikaart.site.internal import render_letter_pages
from abikaart.site.letter_form import MESSAGES, stored_document, template_path, write_assets
from abikaart.site.letter_pages import render_letter_assets
from abikaart.strings import strings
from hostile import HOSTILE, LETTER, LETTER_EXTRA, markup_from_data, parse, write_letters

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


def _html(page: str) -> str:
    """A generated page file as MkDocs turns it into HTML: front matter off, then Python-Markdown with the
    internal site's extensions."""
    config = yaml_load((ROOT / "mkdocs.internal.yml").read_text(encoding="utf-8"))
    extensions = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    body = page.split("\n---\n", 1)[1]
    return markdown.markdown(body, extensions=[e for e in extensions if e != "toc"])


def _text(page: str) -> str:
    return " ".join("".join(parse(_html(page)).text).split())


def test_letter_pages_show_template_text_as_text() -> None:
    pages = render_letter_pages(LETTERS)
    assert set(pages) == {f"letters/{name}{s}.md" for name in [*TEMPLATES, "index"] for s in ("", ".ru", ".en")}
    referral = _html(pages["letters/referral.en.md"])
    assert "<code>risk_level</code>" in referral and "Kind regards<br>{{ counsellor }}" in referral
    assert "Dear {{ recipient }}," in _text(pages["letters/referral.en.md"])  # placeholders shown as written
    index = _html(pages["letters/index.ru.md"])
    assert f'<a href="referral/">{TEMPLATES["referral"].title["ru"]}</a>' in index
    assert "<code>abikaart letter render ИМЯ --lang ru" in index
    assert strings()["ru"]["letter_warning_channel"] in index


@pytest.mark.parametrize("lang", LANGS)
def test_a_hostile_letter_template_shows_as_text(lang: str, tmp_path: Path) -> None:
    """Markup, an event handler, links, a placeholder and emphasis in a template's title, label, example,
    subject and body: each page shows those characters, and nothing of them becomes an element or a link."""
    pages = render_letter_pages(write_letters(tmp_path / "letters"))
    suffix = "" if lang == "et" else f".{lang}"
    page, index = pages[f"letters/{LETTER}{suffix}.md"], pages[f"letters/index{suffix}.md"]
    for html in (_html(page), _html(index)):
        assert markup_from_data(html) == []
        assert "<strong>b</strong>" not in html and 'href="http://x"' not in html and "<em>" not in html
    text = _text(page)
    for shown in (f"Kiri {HOSTILE} {LETTER_EXTRA}", f"Silt {HOSTILE} {LETTER_EXTRA}",
                  f"Näide {HOSTILE} {LETTER_EXTRA}", f"Teema {HOSTILE} {{{{ x }}}}",
                  f"Tekst {HOSTILE} **b** [a](http://x),{{{{ x }}}}",  # lines joined by <br>, no space
                  "# not a heading1. not a list| not | a table |{: .not-attributes }"):
        assert shown in text, shown
    assert f"Kiri {HOSTILE} {LETTER_EXTRA}" in _text(index)
    assert "<h1>Kiri &lt;script&gt;" in _html(page) and "<h1>#" not in _html(page)
    title = page.split("\n")[1]
    assert "<script>" not in title and "&lt;script&gt;" in title  # the front matter title, HTML-escaped too


# The browser form's Word templates ------------------------------------------------------------------------


def _marker_runs(doc: Any) -> list[str]:
    """The text of every run that holds a marker (a line's last run also ends in its break, read as a newline)."""
    return [run.text.removesuffix("\n") for p in doc.paragraphs for run in p.runs if "[[abk:" in run.text]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_form_template_has_each_placeholder_as_one_whole_marker_run(name: str, lang: str) -> None:
    """python-docx must not split a marker over runs nor merge it with text: the browser replaces whole runs."""
    template = TEMPLATES[name]
    letterhead = load_letterhead(LETTERS)
    data = stored_document(template_docx(template, lang, letterhead))
    doc = Document(io.BytesIO(data))
    expected = sorted(MARKER.format(name=n)
                      for n in PLACEHOLDER.findall(template.subject[lang] + "\n" + template.body[lang]))
    assert sorted(_marker_runs(doc)) == expected  # every run holding a marker is exactly that marker
    with zipfile.ZipFile(io.BytesIO(data)) as docx_zip:
        xml = docx_zip.read("word/document.xml").decode("utf-8")
        assert xml.count("[[abk:") == len(expected)
        assert {i.filename: i.compress_type for i in docx_zip.infolist()}["word/document.xml"] == zipfile.ZIP_STORED
        assert {i.compress_type for i in docx_zip.infolist() if i.filename != "word/document.xml"} == {
            zipfile.ZIP_DEFLATED}
    texts = [p.text for p in doc.paragraphs]
    assert texts[:len(letterhead[lang])] == list(letterhead[lang])
    assert doc.paragraphs[len(letterhead[lang])].style.name == "Heading 1"
    assert data == stored_document(template_docx(template, lang, letterhead))  # the same bytes every build


def test_the_form_template_has_the_layout_of_a_rendered_letter(tmp_path: Path) -> None:
    """Filling the markers by hand gives what `letter render` writes: one layout for both."""
    template = TEMPLATES["referral"]
    letterhead = load_letterhead(LETTERS)
    doc = Document(io.BytesIO(template_docx(template, "et", letterhead)))
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            for name, value in template.examples().items():
                run.text = run.text.replace(MARKER.format(name=name), value)
    _, rendered = write_letter(render(template, "et", template.examples(), letterhead), tmp_path)
    written = Document(str(rendered))
    assert [(p.style.name, p.text) for p in doc.paragraphs] == [(p.style.name, p.text) for p in written.paragraphs]
    assert [[(r.bold, r.font.size) for r in p.runs] for p in doc.paragraphs[:3]] == [
        [(r.bold, r.font.size) for r in p.runs] for p in written.paragraphs[:3]]


def test_a_marker_in_the_template_text_is_refused() -> None:
    base = TEMPLATES["web-reply"]
    body = {**base.body, "en": base.body["en"] + "\n[[abk:reply]]\n"}
    broken = Template(name=base.name, title=base.title, variables=base.variables, subject=base.subject, body=body)
    with pytest.raises(LetterError, match=r"web-reply \(en\).*marker"):
        template_docx(broken, "en", load_letterhead(LETTERS))


def test_form_assets_cover_every_template_and_language_and_stale_ones_go(tmp_path: Path) -> None:
    assets = render_letter_assets(LETTERS)
    assert set(assets) == {template_path(n, lang) for n in TEMPLATES for lang in LANGS}
    (tmp_path / "letters" / "docx").mkdir(parents=True)
    (tmp_path / "letters" / "docx" / "removed.docx").write_bytes(b"old")
    assert write_assets(tmp_path, assets) == len(assets)
    assert write_assets(tmp_path, assets) == 0  # unchanged files are not written again
    assert not (tmp_path / "letters" / "docx" / "removed.docx").exists()


def test_the_form_prints_labels_examples_and_names_as_text(tmp_path: Path) -> None:
    pages = render_letter_pages(write_letters(tmp_path / "letters"))
    form = pages[f"letters/{LETTER}.en.md"]
    form = form[form.index('<div class="abk-letter"'):form.index("</section>")]
    assert "<img" not in form and "<script" not in form
    escaped = ("&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1)) {{ x }} **b** [a](http://x) "
               "&#34;q&#34; &#39;a&#39;")
    assert form.count(escaped) == 3  # the label, its data-abk-label and the example placeholder
    assert f'data-abk-label="Silt &lt;script&gt;alert(1)&lt;/script&gt; {escaped}"' in form
    assert 'data-abk-marker="[[abk:x]]"' in form
    web = pages["letters/web-reply.en.md"]
    assert ' name="' not in web  # unnamed inputs: even a submitted form would carry no value
    assert '<textarea id="abk-var-reply"' in web  # the reply is a text area
    assert "<noscript>" in web and "abikaart letter render web-reply --lang en" in web
    for key in MESSAGES:  # every message the script shows, in the page's language
        message = strings()["en"][f"letter_form_{key.replace('-', '_')}"].replace("'", "&#39;")
        assert f'data-abk-msg-{key}="{message}"' in web


def test_to_text_is_letterhead_subject_and_paragraphs() -> None:
    template = TEMPLATES["referral"]
    letterhead = load_letterhead(LETTERS)
    text = to_text(render(template, "en", template.examples(), letterhead))
    blocks = text.split("\n\n")
    assert blocks[0] == "\n".join(letterhead["en"])
    assert blocks[1] == "Referral – perevägivald"
    assert blocks[-1] == "Kind regards\nKadri Kask, kriisinõustaja"
