"""The post-build pipeline (one list of steps, every page through the safety pass) and the settings refused
at config time, each with its error."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.exceptions import PluginError
from site_project import build, make_project

from abikaart.site import pipeline, plugin, shell
from abikaart.site.render import Renderer

TRACKER = "https://tracker.example.com/pixel.png"
PARTNER = "https://partner.example.com/help"


def test_the_post_build_steps_run_in_the_order_the_code_lists() -> None:
    assert [step.__name__ for step in pipeline.STEPS] == [
        "fill_record_pages", "secure_pages", "write_headers", "index_search", "write_sitemap", "write_robots",
        "write_offline_copy", "check_no_leaks", "finish_search_index",
    ]


def test_a_failing_step_stops_the_program_an_earlier_step_started(tmp_path: Path) -> None:
    output = pipeline.Output(site_dir=tmp_path, site_url=None, languages=["et"], public=True, serving=True,
                             safety=None, records=None)  # type: ignore[arg-type]  # the steps below ignore it
    started: list[subprocess.Popen[str]] = []

    def start(out: pipeline.Output) -> None:
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], text=True))
        out.running.append(started[-1])

    def fail(out: pipeline.Output) -> None:
        raise PluginError("a later step failed")

    with pytest.raises(PluginError):
        pipeline.run(output, [start, fail])
    assert started[0].returncode is not None  # killed and reaped, not left running for a minute
    assert output.running == []


def test_a_failed_pagefind_fails_the_build_with_its_message(tmp_path: Path) -> None:
    output = pipeline.Output(site_dir=tmp_path, site_url=None, languages=["et"], public=True, serving=True,
                             safety=None, records=None)  # type: ignore[arg-type]  # the steps below ignore it
    output.running.append(subprocess.Popen([sys.executable, "-c", "import sys; sys.exit('no pages to index')"],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    with pytest.raises(PluginError, match=r"abikaart/search: pagefind failed .*no pages to index"):
        pipeline.finish_search_index(output)


def test_a_verbose_build_says_what_each_step_took(tmp_path: Path) -> None:
    """`abikaart build -v` is how a maintainer (and `scripts/bench_site.py`) sees where the build's time goes."""
    result = build(make_project(tmp_path), tmp_path / "site", "-v")
    assert result.exit_code == 0, result.output
    for step in pipeline.STEPS:
        assert re.search(rf"{step.__name__}: \d+\.\d s \(CPU \d+\.\d s\)", result.output), step.__name__


def test_a_step_is_one_more_item_in_the_list(tmp_path: Path) -> None:
    seen: list[str] = []
    output = pipeline.Output(site_dir=tmp_path, site_url=None, languages=["et"], public=True, serving=True,
                             safety=None, records=None)  # type: ignore[arg-type]  # the steps below ignore it
    pipeline.run(output, [lambda out: seen.append("first"), lambda out: seen.append(str(out.site_dir))])
    assert seen == ["first", str(tmp_path)]


def _inject(monkeypatch: pytest.MonkeyPatch, extra: str) -> None:
    """Append `extra` to the body of every record page (service and organisation), and nowhere else."""
    original = plugin.record_pages

    def injected(models: Iterable[plugin.RecordModel], renderer: Renderer) -> Iterator[shell.RecordPage]:
        for record in original(models, renderer):
            yield dataclasses.replace(record, body=record.body + extra)

    monkeypatch.setattr(plugin, "record_pages", injected)


def test_a_third_party_load_on_a_record_page_stops_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _inject(monkeypatch, f'<img src="{TRACKER}" alt="">')
    config = make_project(tmp_path)
    result = build(config, tmp_path / "site")
    assert result.exit_code == 1
    assert f"directory/organisation/hairekeskus/index.html: loads {TRACKER}" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_a_partner_link_on_a_record_page_is_hardened_like_on_any_page(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _inject(monkeypatch, f'<p><a href="{PARTNER}">partner</a></p>')
    config = make_project(tmp_path)
    result = build(config, tmp_path / "site")
    assert result.exit_code == 0, result.output
    for url in ("directory/service/turvakodu-varjupaik/", "ru/directory/organisation/turvakodu-mtu/"):
        html = (tmp_path / "site" / url / "index.html").read_text(encoding="utf-8")
        assert f'<a href="{PARTNER}" rel="noopener noreferrer">partner</a>' in html


def _configured(root: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    config = make_project(root)
    settings: dict[str, Any] = yaml.safe_load(config.read_text(encoding="utf-8"))
    change(settings)
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return config


def _directory_options(settings: dict[str, Any]) -> dict[str, Any]:
    entry = next(p for p in settings["plugins"] if isinstance(p, dict) and "abikaart/directory" in p)
    options: dict[str, Any] = entry["abikaart/directory"]
    return options


def _set(**options: Any) -> Callable[[dict[str, Any]], None]:
    return lambda settings: settings.update(options)


def _directory(**options: Any) -> Callable[[dict[str, Any]], None]:
    return lambda settings: _directory_options(settings).update(options)


def _i18n(**options: Any) -> Callable[[dict[str, Any]], None]:
    def change(settings: dict[str, Any]) -> None:
        next(p for p in settings["plugins"] if isinstance(p, dict) and "i18n" in p)["i18n"].update(options)
    return change


def _add_internal_plugin(settings: dict[str, Any]) -> None:
    settings["plugins"].insert(1, "abikaart/internal")


def _drop_safety(settings: dict[str, Any]) -> None:
    settings["plugins"].remove("abikaart/safety")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_set(use_directory_urls=False), "use_directory_urls: false is not supported"),
        (_i18n(docs_structure="folder"), "i18n: docs_structure: folder is not supported"),
        (_directory(generated_dir=""), "generated_dir: '' is empty or absolute"),
        (_directory(generated_dir="."), "generated_dir: '.' is docs_dir itself or outside it"),
        (_directory(generated_dir="./"), "generated_dir: './' is docs_dir itself or outside it"),
        (_directory(generated_dir=".."), "generated_dir: '..' is docs_dir itself or outside it"),
        (_directory(generated_dir="directory/../../x"), "is docs_dir itself or outside it"),
        (_directory(generated_dir="/tmp/directory"), "generated_dir: '/tmp/directory' is empty or absolute"),
        (_directory(audience="internal"), "audience: internal is refused on a public site"),
        (_add_internal_plugin, "never add abikaart/internal to mkdocs.yml"),
        (_set(site_url=None), "site_url is not set"),
        (_drop_safety, "abikaart/safety must follow abikaart/directory"),
    ],
)
def test_unsupported_settings_are_refused_before_anything_is_written(
        tmp_path: Path, change: Callable[[dict[str, Any]], None], expected: str) -> None:
    config = _configured(tmp_path, change)
    result = build(config, tmp_path / "site")
    assert result.exit_code == 1
    assert expected in result.output and "(fix: " in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "docs" / "directory").exists()  # no generated page was written
    assert (tmp_path / "docs" / "index.md").is_file()


@pytest.mark.parametrize("generated_dir", [".", "", ".."])
def test_clean_never_deletes_the_hand_written_pages(tmp_path: Path, generated_dir: str) -> None:
    config = _configured(tmp_path, _directory(generated_dir=generated_dir))
    result = build(config, tmp_path / "site", "--clean")
    assert result.exit_code == 1
    assert "generated_dir:" in result.output and "Traceback" not in result.output
    assert (tmp_path / "docs" / "index.md").is_file() and (tmp_path / "directory").is_dir()
