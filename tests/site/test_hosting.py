"""Response headers for the hosts: the header CSP is exactly the policy every page carries, plus
frame-ancestors 'none' (which only a header can say), with the other security headers and cache rules."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from site_project import Project

from abikaart.cli import main
from abikaart.site import hosting

REPO = Path(__file__).resolve().parents[2]


class MetaCsp(HTMLParser):
    """The content of a page's CSP <meta>, read by a real HTML parser (not hosting's own regex)."""

    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("http-equiv") or "").lower() == "content-security-policy":
            self.policies.append(found.get("content") or "")


def meta_policies(site: Path) -> set[str]:
    policies: set[str] = set()
    for page in site.rglob("*.html"):
        parser = MetaCsp()
        parser.feed(page.read_text(encoding="utf-8"))
        assert len(parser.policies) == 1, page
        policies.update(parser.policies)
    return policies


def headers_blocks(text: str) -> dict[str, dict[str, str]]:
    """`_headers` as Netlify reads it: a path at the start of a line, indented `Name: value` lines under it."""
    blocks: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            current = blocks.setdefault(line.strip(), {})
        else:
            name, value = line.strip().split(": ", 1)
            current[name] = value
    return blocks


def test_the_header_csp_is_the_pages_policy_with_frame_ancestors(project: Project) -> None:
    (policy,) = meta_policies(project.site)
    assert "frame-ancestors" not in policy and "'sha256-" in policy
    blocks = headers_blocks((project.site / "_headers").read_text(encoding="utf-8"))
    every = blocks["/*"]
    assert every["Content-Security-Policy"] == policy + "; frame-ancestors 'none'"
    assert every["Referrer-Policy"] == "no-referrer"
    assert every["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in every["Permissions-Policy"] and "geolocation=()" in every["Permissions-Policy"]
    assert every["Cache-Control"] == "no-cache"
    assert blocks["/assets/*"]["Cache-Control"].startswith("public, max-age=")
    assert "X-Robots-Tag" not in every


def test_nginx_sends_the_same_headers_on_every_location(project: Project) -> None:
    (policy,) = meta_policies(project.site)
    result = CliRunner().invoke(main, ["hosting", "nginx", "--site-dir", str(project.site)])
    assert result.exit_code == 0, result.output
    csp_line = f'add_header Content-Security-Policy "{policy}; frame-ancestors \'none\'" always;'
    assert result.output.count(csp_line) == 2  # add_header is not inherited into a location with its own
    assets = result.output.split("location ^~ /assets/ {", 1)[1]
    for name in ("Referrer-Policy", "X-Content-Type-Options", "Permissions-Policy", "X-Frame-Options"):
        assert f"add_header {name} " in assets
    assert 'add_header Cache-Control "public, max-age=86400" always;' in assets
    assert 'add_header Cache-Control "no-cache" always;' not in assets


def test_the_headers_file_from_the_cli_is_the_one_the_build_wrote(project: Project) -> None:
    result = CliRunner().invoke(main, ["hosting", "headers", "--site-dir", str(project.site)])
    assert result.exit_code == 0
    assert result.output == (project.site / "_headers").read_text(encoding="utf-8")


def test_no_built_site_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["hosting", "nginx", "--site-dir", str(tmp_path)])
    assert result.exit_code == 1 and "abikaart build" in result.output and "Traceback" not in result.output


def test_the_internal_site_says_noindex() -> None:
    (every, _assets) = hosting.rules("default-src 'self'", public=False)
    assert ("X-Robots-Tag", "noindex, nofollow") in every.headers


def test_the_nginx_example_includes_the_generated_snippet() -> None:
    example = (REPO / "hosting" / "nginx.conf").read_text(encoding="utf-8")
    assert "include /etc/nginx/snippets/abikaart-headers.conf;" in example
    assert "abikaart hosting nginx --site-dir site > /etc/nginx/snippets/abikaart-headers.conf" in example
    assert "location = /_headers" in example
