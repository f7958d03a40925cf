"""String surgery on rendered HTML: the pages are our own templates' output, so tags are regular and quoted."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable, Iterator
from functools import cache
from urllib.parse import urlsplit

from abikaart.site.safety.texts import ExitTexts

_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=\"([^\"]+)\"", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_INSIDE = r"((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)"
"""A start tag's inside, quoted values kept whole (possessive: a tag that never closes cannot backtrack)."""
_A = re.compile(rf"<(a)\b{_INSIDE}>", re.IGNORECASE)
_LINK = re.compile(rf"<(link)\b{_INSIDE}>[ \t]*\n?", re.IGNORECASE)
_REL = re.compile(r"\s+rel\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+)", re.IGNORECASE)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_CSP_META = re.compile(r"<meta\s+http-equiv=\"Content-Security-Policy\"[^>]*>\s*", re.IGNORECASE)
_JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
# Tags and attributes through which a page makes the browser fetch something by itself.
_LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "embed": ("src",),
    "object": ("data",),
    "link": ("href",),
}
# <link> relations that are only metadata, not loads.
_LINK_METADATA = {"alternate", "canonical", "next", "prev", "author", "license"}

CSP_META_START = '<meta http-equiv="Content-Security-Policy"'
REFERRER_META = '<meta name="referrer" content="no-referrer">'


def page_lang(page: str) -> str:
    """The page's language from `<html lang>`, Estonian when it has none."""
    match = _HTML_LANG.search(page)
    return match.group(1) if match else "et"


def escape_attr(value: str) -> str:
    """`value` escaped for a double-quoted attribute (quotes in a policy stay readable)."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def attributes(raw: str) -> dict[str, str]:
    """Attributes of a tag's inside (`raw`), names lower-cased, values unescaped."""
    found: dict[str, str] = {}
    for name, value in _ATTR.findall(raw):
        found.setdefault(name.lower(), html.unescape(value.strip("\"'")) if value else "")
    return found


def tags(page: str, names: Iterable[str]) -> Iterator[tuple[str, dict[str, str], re.Match[str]]]:
    """Every start tag of one of `names` with its attributes and its match (for positions)."""
    for match in _tag_pattern(frozenset(name.lower() for name in names)).finditer(page):
        yield match.group(1).lower(), attributes(match.group(2)), match


@cache
def _tag_pattern(names: frozenset[str]) -> re.Pattern[str]:
    """Start tags of these names only: matching every tag of a page and filtering took most of the check."""
    alternatives = "|".join(sorted(map(re.escape, names)))
    return re.compile(rf"<({alternatives})(?![\w-]){_INSIDE}>", re.IGNORECASE)


def exit_bar(texts: ExitTexts, exit_url: str, presses: int, window_ms: int) -> str:
    """The quick exit: a plain link (works without JavaScript) that quick-exit.js turns into a fast, blanking exit."""
    e = html.escape
    data = " ".join(
        f'data-abk-{key.replace("_", "-")}="{e(str(value))}"'
        for key, value in texts.items()
        if key not in ("label", "hint")
    )
    dots = '<span class="abk-exit__dot"></span>' * presses
    return (
        f'<div class="abk-exit" data-abk-exit data-abk-presses="{presses}" data-abk-window="{window_ms}" {data}>'
        f'<a class="abk-exit__button" href="{e(exit_url)}" rel="noreferrer">{e(texts["label"])}</a>'
        f'<span class="abk-exit__hint" aria-hidden="true">{e(texts["hint"])}</span>'
        f'<span class="abk-exit__dots" aria-hidden="true">{dots}</span>'
        '<span class="abk-exit__status" role="status" aria-live="assertive" aria-atomic="true"></span>'
        "</div>"
    )


def drop_language_alternates(page: str) -> str:
    """Remove `<link rel="alternate" hreflang>` from the head.

    Material's script fetches `sitemap.xml` next to every such link, and mkdocs-static-i18n points them at the
    translations of the page itself, so each page view asked for three missing files. Search engines still get
    the alternates from the sitemap; the language switcher's own links already lead to the same page.
    """

    def drop(match: re.Match[str]) -> str:
        if "hreflang" not in match.group(2).lower():  # most links: no need to parse them
            return match.group(0)
        attrs = attributes(match.group(2))
        return "" if attrs.get("rel", "").lower() == "alternate" and "hreflang" in attrs else match.group(0)

    return _LINK.sub(drop, page)


def insert_after_body(page: str, fragment: str) -> str:
    """`fragment` as the first thing inside `<body>`, so it is the first thing seen and tabbed to."""
    match = _BODY.search(page)
    if match is None:
        return page
    return page[: match.end()] + fragment + page[match.end() :]


def insert_in_head(page: str, fragment: str) -> str:
    """`fragment` right after `<meta charset>` (or `<head>`): before any script, so a policy covers them all."""
    match = _CHARSET.search(page) or _HEAD.search(page)
    if match is None:
        return page
    return page[: match.end()] + fragment + page[match.end() :]


def is_other_origin(url: str, site_host: str | None) -> bool:
    """Whether `url` points to another site (relative URLs, data: and same-host ones do not)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https", ""):
        return False
    return bool(parts.netloc) and parts.hostname != site_host


def harden_external_links(page: str, site_host: str | None) -> str:
    """Add `rel="noopener noreferrer"` to every link to another site, keeping any rel it already has."""

    def fix(match: re.Match[str]) -> str:
        raw = match.group(2)
        if "//" not in raw and "&" not in raw:  # no host, even once unescaped: a link within the site
            return match.group(0)
        attrs = attributes(raw)
        if not is_other_origin(attrs.get("href", ""), site_host):
            return match.group(0)
        rel = attrs.get("rel", "").split()
        rel += [value for value in ("noopener", "noreferrer") if value not in rel]
        inside = _REL.sub("", raw)
        return f'<a{inside} rel="{" ".join(rel)}">'

    return _A.sub(fix, page)


def inline_scripts(page: str) -> list[str]:
    """Bodies of the inline scripts the browser would run (JSON data blocks and `src` scripts excluded)."""
    found = []
    for match in _SCRIPT.finditer(page):
        attrs = attributes(match.group(1))
        if "src" in attrs or attrs.get("type", "").lower() not in _JS_TYPES:
            continue
        found.append(match.group(2))
    return found


_ANY_TAG = re.compile(rf"<([a-zA-Z][\w:-]*){_INSIDE}>")
_SCRIPT_START = re.compile(r"<script\b", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HANDLER_HINT = re.compile(r"on[a-z]+\s*=")
"""An event-handler attribute: a name `on...` with a value (searched in lower case: a literal start is fast)."""
_URL_TAGS = frozenset(("a", "area", "form", "button", "input", "iframe", "frame", "object", "embed", "base", "use"))
_URL_ATTRS = ("href", "action", "formaction", "src", "data", "xlink:href", "srcdoc")
_CONTROL = re.compile(r"[\x00-\x20]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:")


def script_markup(page: str) -> list[str]:
    """What could run script in a page besides its inline `<script>` elements: event-handler attributes
    (`onerror=`), `javascript:` URLs and a `<script>` that never closes (the rest of the page would be its code)."""
    found = []
    if len(_SCRIPT_START.findall(page)) != len(_SCRIPT.findall(page)):
        found.append("a <script> element that is never closed")
    outside = _COMMENT.sub("", _SCRIPT.sub("<script></script>", page))
    if _has_handler_name(outside):
        for match in _ANY_TAG.finditer(outside):
            names = attributes(match.group(2)) if _has_handler_name(match.group(2)) else {}
            tag = match.group(1).lower()
            found += [f"event-handler attribute {name}= on <{tag}>" for name in names if _is_handler(name)]
    for match in _tag_pattern(_URL_TAGS).finditer(outside):
        inside = match.group(2)
        if "&" in inside or "script" in inside.lower():  # else no attribute can spell a script URL
            attrs, tag = attributes(inside), match.group(1).lower()
            found += [f"script URL in <{tag} {name}>" for name in _URL_ATTRS if _runs_script(name, attrs)]
    return found


def _has_handler_name(text: str) -> bool:
    """Whether `on...=` occurs as a word of its own (`data-md-component=` is not one)."""
    lower = text.lower()
    return any(start == 0 or not (lower[start - 1].isalnum() or lower[start - 1] in "_:.-")
               for start in (match.start() for match in _HANDLER_HINT.finditer(lower)))


def _is_handler(name: str) -> bool:
    return name.startswith("on") and len(name) > 2


def _runs_script(name: str, attrs: dict[str, str]) -> bool:
    """`javascript:` (however spelled: entities and control characters are dropped by browsers) or `srcdoc`."""
    if name not in attrs:
        return False
    return name == "srcdoc" or _CONTROL.sub("", attrs[name]).lower().startswith(_SCRIPT_SCHEMES)


def script_hash(body: str) -> str:
    """CSP source expression for one inline script."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def csp_policy(hashes: Iterable[str]) -> str:
    """The policy: only this origin, only our own scripts (files, or inline ones by hash), no plug-ins.

    `style-src` has no 'unsafe-inline': Material sets styles through the CSSOM, which a policy does not block.
    `frame-ancestors` is left out because browsers ignore it in a `<meta>`.
    """
    # 'wasm-unsafe-eval': Pagefind's search runs as WebAssembly; it allows compiling wasm, not JavaScript eval.
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(set(hashes))])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "media-src 'self'",
            "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def set_csp(page: str, policy: str) -> str:
    """Put `policy` in the page's `<meta>` (replacing one from an earlier build) before any script."""
    page = _CSP_META.sub("", page)
    return insert_in_head(page, f'{CSP_META_START} content="{escape_attr(policy)}">')


def third_party_loads(page: str, site_host: str | None) -> list[str]:
    """URLs on another origin that the page would load by itself (scripts, styles, images, fonts, frames)."""
    found = []
    for name, attrs, _ in tags(page, _LOADING_ATTRS):
        if name == "link" and set(attrs.get("rel", "").lower().split()) & _LINK_METADATA:
            continue
        for attr in _LOADING_ATTRS[name]:
            for url in _urls(attrs.get(attr, ""), srcset=attr == "srcset"):
                if is_other_origin(url, site_host):
                    found.append(url)
    return found


def _urls(value: str, *, srcset: bool) -> list[str]:
    """The URLs in an attribute value (a `srcset` lists several, each followed by a size)."""
    if not value:
        return []
    if not srcset:
        return [value]
    return [item.split()[0] for item in value.split(",") if item.strip()]
