"""The internal letter pages' fill-in form in a real headless Chromium: it fills the letter as `letter render`
does, shows and downloads values as literal text, blocks on a missing required value, and keeps everything in
the tab (no storage, no request, nothing in the address)."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from playwright.sync_api import Browser, Page, expect

from abikaart.letters import Template, load_letterhead, load_templates, render, to_docx, to_text
from abikaart.models import LANGS
from abikaart.strings import strings
from browser.conftest import ROOT, QuietHandler, _open_context
from browser.support import Recorder, axe, device_traces, url

pytestmark = pytest.mark.browser

LETTERS = ROOT / "letters"
TEMPLATES = load_templates(LETTERS)
LETTERHEAD = load_letterhead(LETTERS)
STRINGS = strings()
NOTHING_LEFT = {"local": [], "session": [], "cookie": "", "workers": 0, "caches": [], "indexedDB": []}
# Every template in one language (the languages taken in turn), and the referral in all three.
CASES = sorted({(name, LANGS[i % 3]) for i, name in enumerate(sorted(TEMPLATES))}
               | {("referral", lang) for lang in LANGS})


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The internal site as `abikaart internal build` makes it from the repository's directory and letters."""
    work = tmp_path_factory.mktemp("internal")
    shutil.copy(ROOT / "mkdocs.internal.yml", work / "mkdocs.internal.yml")  # a copy: nothing written in the repo
    shutil.copytree(ROOT / "docs-internal", work / "docs-internal", ignore=shutil.ignore_patterns("_generated"))
    shutil.copytree(LETTERS, work / "letters")
    out = work / "site-internal"
    command = [str(Path(sys.executable).with_name("abikaart")), "internal", "build", "-f",
               str(work / "mkdocs.internal.yml"), "--directory", str(ROOT / "directory"), "--site-dir", str(out)]
    result = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert result.returncode == 0, f"abikaart internal build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="module")
def internal_origin(internal_site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(internal_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser: Browser, internal_origin: str) -> Iterator[tuple[Page, Recorder]]:
    """A fresh profile (1280x800) that may use the clipboard, with its recorder."""
    context, recorder = _open_context(browser, internal_origin, viewport={"width": 1280, "height": 800},
                                      accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=internal_origin)
    yield context.new_page(), recorder
    context.close()


def _open(page: Page, origin: str, name: str, lang: str) -> None:
    page.goto(url(origin, lang, f"_generated/letters/{name}/"))
    page.wait_for_selector("[data-abk-letter][data-abk-ready]")
    page.wait_for_load_state("networkidle")
    page.evaluate("navigator.clipboard.writeText('')")  # the browser's clipboard outlives a test's profile


def _hostile_values(template: Template) -> dict[str, str]:
    """A distinct value per variable that would be markup, a placeholder or a marker if it were not text."""
    values = {}
    for i, v in enumerate(template.variables):
        value = f"V{i}-{v.name} <b>bold</b> {{{{ counsellor }}}} & [[abk:{v.name}]] \"q\""
        values[v.name] = value + "\nsecond line" if v.multiline else value
    return values


def _fill(page: Page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"#abk-var-{name}", value)


def _download(page: Page, tmp_path: Path) -> Any:
    with page.expect_download() as info:
        page.click("[data-abk-action=download]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    with zipfile.ZipFile(path) as docx_zip:
        assert docx_zip.testzip() is None  # every entry's CRC-32 matches its data
        assert docx_zip.namelist()[0] == "[Content_Types].xml"
    return Document(str(path)), info.value.suggested_filename


def _paragraphs(doc: Any) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs]


def _expected(name: str, lang: str, values: dict[str, str], tmp_path: Path) -> tuple[str, list[tuple[str, str]]]:
    """What `abikaart letter render` makes of the same values: its plain text and its Word paragraphs."""
    letter = render(TEMPLATES[name], lang, values, LETTERHEAD)
    path = tmp_path / "expected.docx"
    to_docx(letter, path)
    return to_text(letter), _paragraphs(Document(str(path)))


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_form_fills_previews_copies_and_downloads_the_letter(
    tab: tuple[Page, Recorder], internal_origin: str, name: str, lang: str, tmp_path: Path
) -> None:
    page, recorder = tab
    _open(page, internal_origin, name, lang)
    values = _hostile_values(TEMPLATES[name])
    _fill(page, values)

    preview = page.locator("[data-abk-preview]")
    shown = preview.inner_text()
    for value in values.values():
        assert value.replace("\n", "") in shown.replace("\n", ""), (name, lang, value)
    assert preview.locator("b, img, script, a").count() == 0  # the values are text, not markup

    page.click("[data-abk-action=copy]")
    page.wait_for_selector("[data-abk-status]:not(:empty)")
    copied = page.evaluate("navigator.clipboard.readText()")
    text, paragraphs = _expected(name, lang, values, tmp_path)
    assert copied == text

    doc, filename = _download(page, tmp_path)
    assert filename == f"{name}.{lang}.docx"
    body = "\n".join(p.text for p in doc.paragraphs)
    for value in values.values():
        assert value in body, (name, lang, value)
    typed = "\n".join(text for _style, text in paragraphs).count("[[abk:")  # the ones in the typed values
    assert body.count("[[abk:") == typed  # no marker of the template is left
    assert [p.text for p in doc.paragraphs[:3]] == list(LETTERHEAD[lang])
    assert doc.paragraphs[0].runs[0].bold
    assert _paragraphs(doc) == paragraphs  # the same letter, styles and lines as `abikaart letter render`
    assert doc.core_properties.language == lang
    recorder.assert_clean()


@pytest.mark.parametrize(("name", "lang"), [("referral", "en"), ("web-reply", "et"), ("video-booking", "ru"),
                                           ("information-request", "en")])
def test_optional_values_left_empty_leave_their_lines_out_as_the_cli_does(
    tab: tuple[Page, Recorder], internal_origin: str, name: str, lang: str, tmp_path: Path
) -> None:
    page, _ = tab
    _open(page, internal_origin, name, lang)
    template = TEMPLATES[name]
    values = {v.name: v.example for v in template.variables if v.required}
    assert len(values) < len(template.variables)  # the template has an optional value to leave out
    _fill(page, values)
    text, paragraphs = _expected(name, lang, values, tmp_path)
    page.click("[data-abk-action=copy]")
    page.wait_for_selector("[data-abk-status]:not(:empty)")
    assert page.evaluate("navigator.clipboard.readText()") == text
    doc, _ = _download(page, tmp_path)
    assert _paragraphs(doc) == paragraphs


def test_missing_required_values_are_marked_at_the_fields_and_block_the_download(
    tab: tuple[Page, Recorder], internal_origin: str
) -> None:
    page, _ = tab
    _open(page, internal_origin, "referral", "en")
    downloads: list[Any] = []
    page.on("download", lambda download: downloads.append(download))
    template = TEMPLATES["referral"]
    page.fill("#abk-var-recipient", "Dr Mets")
    page.click("[data-abk-action=download]")
    page.wait_for_timeout(300)
    assert downloads == []
    for v in template.variables:
        field = page.locator(f"#abk-var-{v.name}")
        if v.required and v.name != "recipient":
            assert field.get_attribute("aria-invalid") == "true", v.name
            described = field.get_attribute("aria-describedby")
            assert described and page.locator(f"#{described}").inner_text() == STRINGS["en"]["letter_form_missing"]
            assert page.locator(f"#{described}").is_visible()
        else:
            assert field.get_attribute("aria-invalid") is None, v.name
    assert page.evaluate("document.activeElement.id") == "abk-var-organisation"  # the first empty one
    assert page.locator("[data-abk-status]").inner_text() == STRINGS["en"]["letter_form_summary"]
    assert page.locator("#abk-var-organisation").get_attribute("aria-required") == "true"
    assert STRINGS["en"]["letter_form_required"] in page.locator("label[for=abk-var-organisation]").inner_text()
    assert page.locator("#abk-var-name").get_attribute("placeholder") == "e.g. Anna Tamm"

    page.fill("#abk-var-organisation", "Tartu")
    assert page.locator("#abk-var-organisation").get_attribute("aria-invalid") is None
    assert page.locator("#abk-var-organisation-error").is_hidden()
    page.click("[data-abk-action=copy]")  # copying is blocked too: a letter with gaps does not leave the form
    assert page.evaluate("navigator.clipboard.readText()") == ""
    assert page.locator("#abk-var-date").get_attribute("aria-invalid") == "true"


def test_filling_stores_nothing_sends_nothing_and_keeps_the_address(
    tab: tuple[Page, Recorder], internal_origin: str, tmp_path: Path
) -> None:
    page, recorder = tab
    _open(page, internal_origin, "referral", "ru")
    address, history = page.url, page.evaluate("history.length")
    loaded = len(recorder.requests)
    assert any(u.endswith("/ru/_generated/letters/docx/referral.docx") for u in recorder.requests)
    values = _hostile_values(TEMPLATES["referral"])
    _fill(page, values)
    page.press("#abk-var-counsellor", "Enter")  # the form is never submitted
    page.click("[data-abk-action=copy]")
    _download(page, tmp_path)
    page.wait_for_timeout(500)

    after = recorder.requests[loaded:]
    assert [u for u in after if not u.startswith("blob:" + internal_origin + "/")] == []  # the download is local
    assert page.url == address and page.evaluate("history.length") == history
    assert device_traces(page) == NOTHING_LEFT
    assert page.context.cookies() == []
    recorder.assert_clean()


def test_the_form_works_with_the_keyboard_alone(
    tab: tuple[Page, Recorder], internal_origin: str, tmp_path: Path
) -> None:
    page, _ = tab
    _open(page, internal_origin, "video-booking", "et")
    template = TEMPLATES["video-booking"]
    first = f"abk-var-{template.variables[0].name}"
    for _ in range(200):  # from the top of the page, through the header and menus, to the first field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == first:
            break
    else:
        pytest.fail("Tab never reached the form")
    for i, v in enumerate(template.variables):
        assert page.evaluate("document.activeElement.id") == f"abk-var-{v.name}"
        page.keyboard.type(v.example)
        page.keyboard.press("Tab")
        if i == len(template.variables) - 1:
            assert page.evaluate("document.activeElement.dataset.abkAction") == "download"
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    info.value.save_as(tmp_path / "k.docx")
    body = "\n".join(p.text for p in Document(str(tmp_path / "k.docx")).paragraphs)
    assert all(v.example in body for v in template.variables)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.abkAction") == "copy"
    page.keyboard.press("Space")
    expect(page.locator("[data-abk-status]")).to_have_text(STRINGS["et"]["letter_form_copied"])


def test_without_javascript_the_page_shows_the_text_and_says_the_form_needs_it(
    browser: Browser, internal_origin: str
) -> None:
    context, _ = _open_context(browser, internal_origin, java_script_enabled=False)
    page = context.new_page()
    page.goto(url(internal_origin, "en", "_generated/letters/referral/"))
    text = page.locator("main, article").first.inner_text()
    assert "{{ recipient }}" in text and "Kind regards" in text
    assert STRINGS["en"]["letter_form_no_js"] in text
    assert "abikaart letter render referral --lang en" in text
    assert page.locator("form.abk-letter__form").is_hidden()
    context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_letter_page_has_no_wcag_violations(tab: tuple[Page, Recorder], internal_origin: str, lang: str) -> None:
    page, recorder = tab
    _open(page, internal_origin, "referral", lang)
    page.fill("#abk-var-recipient", "Mari")
    page.click("[data-abk-action=download]")  # the errors shown too
    response = axe(page)
    assert {"label", "aria-valid-attr-value"} <= {rule["id"] for rule in response["passes"]}  # the form was checked
    problems = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in response["violations"]]
    assert problems == [], problems
    recorder.assert_clean()


def test_the_internal_site_policy_stays_strict_with_the_form_script(internal_site: Path) -> None:
    page = (internal_site / "_generated" / "letters" / "referral" / "index.html").read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy and "script-src 'self'" in policy.group(1)
    assert "unsafe-inline" not in policy.group(1) and "'unsafe-eval'" not in policy.group(1)
    assert re.search(r'<script src="(\.\./)+assets/letters/letter-form\.js"></script>', page)
    assert (internal_site / "ru" / "_generated" / "letters" / "docx" / "referral.docx").is_file()
    assert (internal_site / "_generated" / "letters" / "docx" / "referral.docx").read_bytes()[:2] == b"PK"
