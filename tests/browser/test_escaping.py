"""Data is text in a real browser: a service whose every field holds a script, an event handler and a
`javascript:` link opens no dialog, runs nothing and breaks no Content-Security-Policy rule."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Dialog

from abikaart.cli import main
from hostile import HOSTILE, SERVICE_ID, public_config, write_directory

pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def hostile_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("hostile-browser")
    write_directory(root / "directory")
    result = CliRunner().invoke(main, ["build", "--config", str(public_config(root)), "--site-dir",
                                       str(root / "site")])
    assert result.exit_code == 0, result.output
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_a_service_page_with_hostile_data_opens_no_dialog(browser: Browser, hostile_origin: str, prefix: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{hostile_origin}/{prefix}directory/service/{SERVICE_ID}/")
    page.wait_for_load_state("networkidle")
    for link in page.locator("main a").all():  # following no link of the page runs anything either
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    shown = page.locator("main").inner_text()
    context.close()
    assert dialogs == []
    assert HOSTILE in " ".join(shown.split()), "the data is on the page, as text"
    assert not [error for error in errors if "Content Security Policy" in error], errors
