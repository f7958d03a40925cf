"""Response headers for whoever serves the built site: the CSP as a header, where `frame-ancestors 'none'` works
(browsers ignore it in the `<meta>` the pages carry), and the headers a `<meta>` cannot set at all.

One list of rules (`rules`) from the policy the safety pass computed (`secure.secure_site`); it is written as
`_headers` (Netlify and Cloudflare Pages read it from the site root and do not serve it) and as an nginx
snippet (`nginx_conf`, printed by `abikaart hosting nginx`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from abikaart.site.safety import markup

HEADERS_FILE = "_headers"

PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
                      "payment=(), usb=(), browsing-topics=(), interest-cohort=()")
"""Nothing a help directory needs: no camera, microphone, position or ad-tracking features."""

HTML_CACHE = "no-cache"
"""Pages are revalidated on every visit: an expired notice or a changed number must not linger in a cache."""
ASSET_CACHE = "public, max-age=86400"
"""Stylesheets, scripts and fonts for a day: a cheap phone on a slow network loads them once."""


@dataclass(frozen=True)
class Rule:
    """Headers for the paths matching `pattern` (`/*` every path, `/assets/*` one folder)."""

    pattern: str
    headers: tuple[tuple[str, str], ...]


def header_csp(policy: str) -> str:
    """The pages' policy plus what only a header can say: no other site may frame the directory."""
    return f"{policy}; frame-ancestors 'none'"


def rules(policy: str | None, *, public: bool) -> list[Rule]:
    """Security headers on every response, then the cache rules; the internal site also says noindex."""
    common = [
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", PERMISSIONS_POLICY),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if policy is not None:
        common.insert(0, ("Content-Security-Policy", header_csp(policy)))
    if not public:
        common.append(("X-Robots-Tag", "noindex, nofollow"))
    return [
        Rule("/*", tuple([*common, ("Cache-Control", HTML_CACHE)])),
        Rule("/assets/*", (("Cache-Control", ASSET_CACHE),)),
    ]


def headers_file(site_rules: list[Rule]) -> str:
    """The `_headers` format of Netlify and Cloudflare Pages: a path, then indented `Name: value` lines.

    Both apply every matching block, so the asset block's Cache-Control replaces the one for every path."""
    blocks = ["\n".join([rule.pattern, *(f"  {name}: {value}" for name, value in rule.headers)])
              for rule in site_rules]
    return "# Response headers, written by the abikaart build (src/abikaart/site/hosting.py)\n" + \
        "\n\n".join(blocks) + "\n"


def _nginx_value(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_conf(site_rules: list[Rule]) -> str:
    """An nginx snippet to `include` in the site's `server { }` block (see hosting/nginx.conf).

    `add_header` is not inherited into a `location` that sets its own, so the asset location repeats them."""
    every, *others = site_rules
    lines = ["# Response headers, written by `abikaart hosting nginx` (src/abikaart/site/hosting.py)"]
    lines += [f"add_header {name} {_nginx_value(value)} always;" for name, value in every.headers]
    security = [(name, value) for name, value in every.headers if name != "Cache-Control"]
    for rule in others:
        prefix = rule.pattern.rstrip("*")
        lines.append(f"location ^~ {prefix} {{")
        lines += [f"    add_header {name} {_nginx_value(value)} always;" for name, value in [*security, *rule.headers]]
        lines.append("}")
    return "\n".join(lines) + "\n"


def write_headers(site_dir: Path, policy: str | None, *, public: bool) -> Path:
    """`_headers` in the site root."""
    target = site_dir / HEADERS_FILE
    target.write_text(headers_file(rules(policy, public=public)), encoding="utf-8")
    return target


_META_CSP = re.compile(re.escape(markup.CSP_META_START) + r'\s+content="([^"]*)"')


def page_policy(page: str) -> str | None:
    """The policy in a built page's `<meta>`, unescaped."""
    match = _META_CSP.search(page)
    if match is None:
        return None
    return match.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&amp;", "&")


def built_policy(site_dir: Path) -> str | None:
    """The policy the built site's home page carries (one policy for the whole site, `secure.secure_site`)."""
    index = site_dir / "index.html"
    return page_policy(index.read_text(encoding="utf-8")) if index.is_file() else None
