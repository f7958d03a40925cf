"""Record pages are a rendered shell with its placeholders filled: nothing of one record may leak into another."""

from __future__ import annotations

from pathlib import Path

import pytest

from abikaart.site import shell

SHELL = (
    f'<html><head><title>{shell.TITLE} - abikaart</title><meta name="description" content="{shell.DESCRIPTION}">'
    f'</head><body><a href="../../../ru/directory/service/{shell.SLUG}/" hreflang="ru">RU</a>'
    f'<span>{shell.TITLE}</span><article>{shell.BODY}</article></body></html>'
)


def record(slug: str = "ohvriabi", title: str = "Ohvriabi", description: str = "Abi", body: str = "<h1>O</h1>"
           ) -> shell.RecordPage:
    return shell.RecordPage(slug, title, description, body)


def test_every_placeholder_is_filled_and_text_is_escaped() -> None:
    page = shell.Shell(SHELL, Path("x/index.html")).fill(
        record(title='Tom & "Jerry" <b>', description="a < b", body="<h1>Body</h1><p>kept as HTML</p>"))
    assert "<title>Tom &amp; &quot;Jerry&quot; &lt;b&gt; - abikaart</title>" in page
    assert "<span>Tom &amp; &quot;Jerry&quot; &lt;b&gt;</span>" in page
    assert 'content="a &lt; b"' in page
    assert 'href="../../../ru/directory/service/ohvriabi/"' in page
    assert "<article><h1>Body</h1><p>kept as HTML</p></article>" in page
    assert "ABIKAART-SHELL" not in page and shell.SLUG not in page


def test_a_shell_without_its_placeholders_is_refused() -> None:
    with pytest.raises(ValueError, match="placeholders"):
        shell.Shell("<html><body>theme dropped the body</body></html>", Path("x/index.html"))


def test_records_are_written_beside_the_shell_which_is_removed(tmp_path: Path) -> None:
    dest = tmp_path / "service" / shell.SLUG / "index.html"
    dest.parent.mkdir(parents=True)
    dest.write_text(SHELL, encoding="utf-8")
    made = shell.Shell(SHELL, dest)
    made.remove()
    assert made.write([record("a", "A"), record("b", "B")]) == 2
    assert sorted(p.name for p in (tmp_path / "service").iterdir()) == ["a", "b"]
    assert "<title>B - abikaart</title>" in (tmp_path / "service" / "b" / "index.html").read_text(encoding="utf-8")


def test_shell_files_are_recognised_in_every_language() -> None:
    assert shell.is_shell(f"directory/service/{shell.SLUG}.md")
    assert shell.is_shell(f"directory/organisation/{shell.SLUG}.ru.md")
    assert not shell.is_shell("directory/service/abikaart-shell.md")
