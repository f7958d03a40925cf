"""Data as text in generated Markdown: whatever a record says, the page shows those characters and nothing more.

The internal site writes its pages as Markdown, which Python-Markdown turns into HTML without sanitising: raw
HTML passes through, `[x](javascript:...)` becomes a link, `*`, `_` and backticks become markup, `|` splits a
table cell and `{: ...}` sets attributes (attr_list). Backslash escapes depend on which extensions are on, so
signs are written as character references instead, which Markdown leaves alone and every browser shows as the
sign itself. Letters, digits and the punctuation that means nothing inline (`,`, `.`, `:`, `-`, `'`, `/`, ...)
stay as typed, so the generated Markdown and HTML stay readable and searchable.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

_INLINE_SIGNS = frozenset("\\`*_{}[]()!|~^=\"#")
"""Signs that Markdown, its extensions or HTML act on anywhere in a line (`&`, `<` and `>` are HTML-escaped)."""
_LINE_START = re.compile(r"^(?:[-+#=>.:]|\d+[.)])")
"""What makes a line a list item, heading, quote or rule: the value may be the start of a line."""
_LINK_SCHEMES = ("https://", "mailto:", "tel:")
_URL_SIGNS = "/:?#&=;%@+,~.-$_*"
"""Kept as they are in a link address; every other sign is percent-encoded (the same address to a browser)."""


def _reference(sign: str) -> str:
    return f"&#{ord(sign)};"


def markdown_text(value: str) -> str:
    """`value` as one line of inline Markdown that shows exactly its text: never markup, a link or a cell break."""
    line = html.escape(" ".join(value.split()), quote=False)
    line = "".join(_reference(sign) if sign in _INLINE_SIGNS else sign for sign in line)
    start = _LINE_START.match(line)
    if start:  # "1. ", "- ", "# " or "===" would make the line a list, a heading or a rule
        line = "".join(map(_reference, start.group(0))) + line[start.end():]
    return line


def markdown_link(url: str, label: str) -> str:
    """A link to `url` showing `label` as text; only web (https), e-mail and phone links, anything else is text.

    Written as an HTML `<a>` (Markdown keeps inline HTML as it is). The address is percent-encoded but for the
    signs URLs are made of: Markdown's link and code patterns run before its HTML pattern, so a `[x](...)`,
    a backtick or a `|` (a table cell's end) left in an attribute would still be acted on.
    """
    if not url.startswith(_LINK_SCHEMES):
        return markdown_text(label)
    href = html.escape(quote(url, safe=_URL_SIGNS), quote=True)
    return f'<a href="{href}">{markdown_text(label)}</a>'
