"""A county leaflet (`leaflets.Leaflet`) as a one- or two-page A4 PDF, with fpdf2.

The page: the title and a QR code to the county page, then a box with 112 and the 24/7 lines in large type,
then the services in two columns, each kept whole in its column. A county with many services must still fit
two pages, so the layout is tried in ever more compact styles (`STYLES`: smaller type, no descriptions, each
service in fewer lines) and the first that fits is drawn; when even the last does not fit, `TooLong` says which
leaflet and what to do. Text is placed word by word with fpdf2's `text()` (never its markdown), so no data can
become formatting, and lines are broken here: fpdf2's own line breaking measured every character of every
try, most of a leaflet's time. The font is Debian's DejaVu Sans (package fonts-dejavu-core): it covers
Estonian and Cyrillic and is installed, never downloaded.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import segno
from fontTools import subset, ttLib
from fpdf import FPDF
from fpdf.fonts import TTFFont

from abikaart.leaflets import BREAK, Contact, Entry, Leaflet, breakable
from abikaart.site.pages import url_text

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": FONT_DIR / "DejaVuSans.ttf", "B": FONT_DIR / "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN = 11.0
GUTTER = 5.0
FOOTER_H = 13.0
QR_SIZE = 27.0
MAX_PAGES = 2
PT = 25.4 / 72
"""Millimetres per typographic point."""
GREY = 80
RULE = 150


class TooLong(ValueError):
    """A leaflet that does not fit two pages even in the most compact style."""


class FontMissing(RuntimeError):
    """The DejaVu fonts are not installed."""


@dataclass(frozen=True)
class Style:
    """How compact the services are set: type size (pt), descriptions shown, each service in fewer lines (its
    contacts in one paragraph), the organisation left to the county page."""

    size: float
    descriptions: bool = False
    short: bool = False
    organisation: bool = True
    lines: float = 10.5
    """The type size of the 24/7 lines in the box at the top."""
    inline: bool = False
    """The name and the contacts in one paragraph."""


STYLES = (
    Style(9.0, descriptions=True),
    Style(8.5),
    Style(8.0, short=True, lines=9.5),
    Style(7.5, short=True, lines=9.0),
    Style(7.0, short=True, lines=8.5),
    Style(7.0, short=True, organisation=False, lines=8.0),
    Style(7.0, short=True, organisation=False, lines=8.0, inline=True),
)
"""From the most to the least comfortable to read; 7 pt is the smallest type a leaflet is printed in."""


@dataclass(frozen=True)
class Span:
    """Part of a paragraph in one weight and grey level."""

    text: str
    bold: bool = False
    grey: int = 0


@dataclass(frozen=True)
class Run:
    """A paragraph: its spans (joined by a space), size (pt) and the space above it (mm)."""

    spans: tuple[Span, ...]
    size: float
    space_before: float = 0.0


def run(text: str, size: float, *, bold: bool = False, grey: int = 0, space_before: float = 0.0) -> Run:
    return Run((Span(text, bold, grey),), size, space_before)


Block = list[Run]
"""Paragraphs printed one under the other and never split between columns: a service, or a heading with the
first service under it."""
Piece = tuple[str, Span, bool]
"""A word (or part of a web address) of a line, its span, and whether a space goes before it."""


def render(leaflet: Leaflet) -> bytes:
    """The leaflet's PDF; `TooLong` when it cannot fit `MAX_PAGES` pages."""
    pdf = _document(leaflet)
    for style in STYLES:
        placed = _flow(pdf, _blocks(leaflet, style), _header(pdf, leaflet, style, draw=False))
        if placed is not None:
            pdf.pages_total = max((item.page for item in placed), default=1)
            _header(pdf, leaflet, style, draw=True)
            _draw(pdf, placed)
            return bytes(pdf.output())
    total = len(leaflet.local) + len(leaflet.nationwide)
    raise TooLong(f"the leaflet of {leaflet.county} ({leaflet.lang}) does not fit {MAX_PAGES} A4 pages even in "
                  f"{STYLES[-1].size:g} pt type: {total} services are too many for a leaflet (fix: shorten their "
                  f"names and contacts, or list fewer services for all of Estonia or for the county)")


_WIDTHS: dict[tuple[str, bool], float] = {}
"""Word widths at 1 pt, by word and weight: the same names and numbers recur in every leaflet."""


class _Leaflet(FPDF):
    """fpdf2 with line breaking by measured words, and the leaflet's footer on every page: its title (a second
    page may be handed on alone), what the check dates mean, the day it was made, the page number."""

    def __init__(self, leaflet: Leaflet) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.leaflet = leaflet
        self.pages_total = 1
        self._wrapped: dict[tuple[Run, float], list[list[Piece]]] = {}

    def measure(self, word: str, bold: bool) -> float:
        """A word's width at 1 pt (mm), measured once per process."""
        key = (word, bold)
        found = _WIDTHS.get(key)
        if found is None:  # fpdf2's get_string_width at 1 pt, without set_font (which writes to the page)
            font = self.fonts[FAMILY.lower() + ("B" if bold else "")]
            assert isinstance(font, TTFFont)
            found = _WIDTHS[key] = sum(font.cw[ord(char)] for char in word) * 0.001 / self.k
        return found

    def piece_width(self, piece: Piece, size: float, first: bool) -> float:
        word, span, spaced = piece
        space = self.measure(" ", span.bold) if spaced and not first else 0.0
        return (space + self.measure(word, span.bold)) * size

    def wrap(self, paragraph: Run, width: float) -> list[list[Piece]]:
        """The paragraph's lines (`_wrap`), each paragraph broken once for each width."""
        key = (paragraph, width)
        found = self._wrapped.get(key)
        if found is None:
            found = self._wrapped[key] = self._wrap(paragraph, width)
        return found

    def _wrap(self, paragraph: Run, width: float) -> list[list[Piece]]:
        """The paragraph's lines of at most `width`: broken at spaces and after the slashes of a web address,
        never inside a phone number (its spaces are no-break spaces); a longer word is broken where it must."""
        lines: list[list[Piece]] = []
        line: list[Piece] = []
        used = 0.0
        for piece in _pieces(paragraph):
            for part in self._fitting(piece, paragraph.size, width):
                extra = self.piece_width(part, paragraph.size, not line)
                if line and used + extra > width:
                    lines.append(line)
                    line, used = [], 0.0
                    extra = self.piece_width(part, paragraph.size, True)
                line.append(part)
                used += extra
        lines.append(line)
        return lines

    def _fitting(self, piece: Piece, size: float, width: float) -> Iterator[Piece]:
        """A piece, cut into parts that each fit a line."""
        word, span, spaced = piece
        while len(word) > 1 and self.measure(word, span.bold) * size > width:
            cut = max([i for i in range(1, len(word)) if self.measure(word[:i], span.bold) * size <= width],
                      default=1)
            yield word[:cut], span, spaced
            word, spaced = word[cut:], False
        yield word, span, spaced

    def height(self, paragraph: Run, width: float) -> float:
        return paragraph.space_before + len(self.wrap(paragraph, width)) * _leading(paragraph.size)

    def write_run(self, x: float, y: float, paragraph: Run, width: float, centre: bool = False,
                  draw: bool = True) -> float:
        """The paragraph with its top left at (x, y) (only measured unless `draw`); the y under it. Each span's
        words on a line are one string, so a reader or a text extractor sees "116 006", not loose words."""
        if not draw:
            return y + self.height(paragraph, width)
        y += paragraph.space_before
        size = paragraph.size
        for line in self.wrap(paragraph, width):
            used = sum(self.piece_width(piece, size, index == 0) for index, piece in enumerate(line))
            at = x + ((width - used) / 2 if centre else 0.0)
            for index, (text, span, spaced) in enumerate(_strings(line)):
                if spaced and index:
                    at += self.measure(" ", span.bold) * size
                self.set_font(FAMILY, "B" if span.bold else "", size)
                self.set_text_color(span.grey)
                self.text(at, y + size * PT * 0.95, text)
                at += self.measure(text, span.bold) * size
            y += _leading(size)
        self.set_text_color(0)
        return y

    def footer(self) -> None:
        s = self.leaflet.strings
        y = PAGE_H - MARGIN - FOOTER_H + 2
        self.set_draw_color(RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, y, PAGE_W - MARGIN, y)
        made = s["leaflet_made"].format(date=self.leaflet.made.strftime("%d.%m.%Y"))
        page = s["leaflet_page"].format(page=self.page_no(), pages=self.pages_total)
        note = Run((Span(f"{self.leaflet.title}.", bold=True, grey=GREY),
                    Span(f"{s['leaflet_legend']} {made}", grey=GREY)), 6.5)
        self.write_run(MARGIN, y + 1, note, PAGE_W - 2 * MARGIN - 22)
        self.write_run(PAGE_W - MARGIN - 20, y + 1, run(page, 7, grey=GREY), 20)


def _leading(size: float) -> float:
    """Line spacing: a little more for the larger type of the headings and numbers."""
    return size * PT * (1.17 if size < 10 else 1.22)


def _strings(line: list[Piece]) -> Iterator[Piece]:
    """The line's pieces joined into one string per span (a space where there was one)."""
    current: Piece | None = None
    for word, span, spaced in line:
        if current is not None and current[1] is span:
            current = (current[0] + (" " if spaced else "") + word, span, current[2])
            continue
        if current is not None:
            yield current
        current = (word, span, spaced)
    if current is not None:
        yield current


def _pieces(paragraph: Run) -> Iterator[Piece]:
    for span in paragraph.spans:
        for word in span.text.split(" "):
            for index, part in enumerate(word.split(BREAK)):
                if part:
                    yield part, span, index == 0


# The fonts ---------------------------------------------------------------------------------------------------

SCRIPTS = ((0x20, 0x17F), (0x400, 0x45F), (0x2000, 0x206F), (0x20AC, 0x20AC), (0x2116, 0x2116), (0x2190, 0x2193))
"""What the fonts are cut down to, with every other character a leaflet holds: Latin (Estonian, Finnish, German,
Latvian, Lithuanian), Russian and Ukrainian Cyrillic, punctuation, the euro, the numero sign and arrows."""
_CUT: dict[frozenset[int], dict[str, Path]] = {}
_CUT_DIR: list[tempfile.TemporaryDirectory[str]] = []


def prepare_fonts(extra: frozenset[int] = frozenset()) -> dict[str, Path]:
    """DejaVu Sans and its bold cut down to `SCRIPTS` and `extra`, once per process (call it before forking).

    fpdf2 reads the whole font for every document (6,000 glyphs: most of a leaflet's time); a copy with the
    scripts a leaflet is written in is read in a fraction of that, and fpdf2 still embeds only the glyphs used.
    """
    found = _CUT.get(extra)
    if found is not None:
        return found
    missing = [str(path) for path in FONTS.values() if not path.is_file()]
    if missing:
        raise FontMissing(f"{', '.join(missing)}: not found (fix: apt-get install fonts-dejavu-core)")
    if not _CUT_DIR:
        _CUT_DIR.append(tempfile.TemporaryDirectory(prefix="abikaart-fonts-"))
    folder = Path(_CUT_DIR[0].name)
    codes = {code for low, high in SCRIPTS for code in range(low, high + 1)} | extra
    cut = {}
    for style, path in FONTS.items():
        font = ttLib.TTFont(path, recalcTimestamp=False)
        options = subset.Options(notdef_outline=True, recommended_glyphs=True, glyph_names=True, hinting=False,
                                 layout_features=[], drop_tables=["FFTM", "GSUB", "GPOS", "GDEF", "kern"])
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codes)
        subsetter.subset(font)
        cut[style] = folder / f"{path.stem}-{len(_CUT)}.ttf"
        font.save(cut[style])
    _CUT[extra] = cut
    return cut


def _outside_scripts(leaflet: Leaflet) -> frozenset[int]:
    """The characters of the leaflet's texts that `SCRIPTS` leave out (usually none)."""
    texts = [leaflet.title, leaflet.intro, leaflet.url, *leaflet.strings.values()]
    texts += [part for line in leaflet.lines for part in (line.number, line.name)]
    for item in (*leaflet.local, *leaflet.nationwide):
        texts += [item.name, item.status or "", item.about, item.short_about, item.notice or "", item.description]
        texts += [part or "" for contact in item.contacts for part in (contact.kind, contact.reach, contact.hours)]
    chars = {ord(char) for text in texts for char in text} - {ord(BREAK)}
    return frozenset(code for code in chars if not any(low <= code <= high for low, high in SCRIPTS))


def _document(leaflet: Leaflet) -> _Leaflet:
    pdf = _Leaflet(leaflet)
    for style, path in prepare_fonts(_outside_scripts(leaflet)).items():
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.set_title(leaflet.title)
    pdf.set_lang(leaflet.lang)
    pdf.set_creator("abikaart")
    # The same data gives the same bytes: no build-time clock in the file.
    pdf.set_creation_date(dt.datetime.combine(leaflet.made, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    return pdf


# The head of the first page ----------------------------------------------------------------------------------


def _header(pdf: _Leaflet, leaflet: Leaflet, style: Style, draw: bool) -> float:
    """Title, introduction and the county page's address beside its QR code, then the numbers to call (drawn
    only when `draw`); the y where the services start."""
    s = leaflet.strings
    text_w = PAGE_W - 2 * MARGIN - QR_SIZE - 4
    y = pdf.write_run(MARGIN, MARGIN, run(leaflet.title, 17, bold=True), text_w, draw=draw)
    y = pdf.write_run(MARGIN, y + 1.5, run(leaflet.intro, 10), text_w, draw=draw)
    link = Run((Span(s["leaflet_qr"], grey=GREY), Span(breakable(url_text(leaflet.url)), bold=True)), 9)
    y = pdf.write_run(MARGIN, y + 1.5, link, text_w, draw=draw)
    qr_y = MARGIN - 1.5
    if draw:
        pdf.image(_qr_png(leaflet.url), x=PAGE_W - MARGIN - QR_SIZE + 1.5, y=qr_y, w=QR_SIZE, h=QR_SIZE)
    return _numbers_box(pdf, leaflet, max(y, qr_y + QR_SIZE) + 2, style.lines, draw)


def _qr_png(url: str) -> io.BytesIO:
    """The QR code as a PNG, ten pixels a module with the standard four-module quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer


def _numbers_box(pdf: _Leaflet, leaflet: Leaflet, top: float, size: float, draw: bool) -> float:
    """112 in the largest type, then the 24/7 lines in two columns, in a shaded box; the y below it."""
    s = leaflet.strings
    width = PAGE_W - 2 * MARGIN
    inner = width - 8
    first, *others = leaflet.lines
    half = (inner - 6) / 2
    lines = [Run((Span(line.number, bold=True), Span(line.name)), size, 0.8) for line in others]
    split = _balance(pdf, lines, half)
    heading = run(s["emergency_title"], 11, bold=True)
    emergency = Run((Span(first.number, bold=True), Span(first.name)), 15)
    always = run(s["always_open_title"], 10, bold=True, space_before=1.5)
    columns = (lines[:split], lines[split:])
    body = max(sum(pdf.height(line, half) for line in column) for column in columns)
    height = 3 + pdf.height(heading, inner) + pdf.height(emergency, inner) + \
        (pdf.height(always, inner) + body if others else 0.0) + 3
    if draw:
        pdf.set_fill_color(238)
        pdf.set_draw_color(RULE)
        pdf.set_line_width(0.3)
        pdf.rect(MARGIN, top, width, height, style="DF")
        y = pdf.write_run(MARGIN + 4, top + 3, heading, inner)
        y = pdf.write_run(MARGIN + 4, y, emergency, inner)
        if others:
            y = pdf.write_run(MARGIN + 4, y, always, inner)
        for index, column in enumerate(columns):
            at = y
            for line in column:
                at = pdf.write_run(MARGIN + 4 + index * (half + 6), at, line, half)
    return top + height + 3


def _balance(pdf: _Leaflet, lines: list[Run], width: float) -> int:
    """How many lines go in the left column so that the two columns are as even as they can be."""
    heights = [pdf.height(line, width) for line in lines]
    total = sum(heights)
    return min(range(len(lines) + 1), key=lambda n: abs(total - 2 * sum(heights[:n])))


# The services, in two columns ------------------------------------------------------------------------------


def _blocks(leaflet: Leaflet, style: Style) -> list[Block]:
    """Every service as a block, each section's heading joined to its first service."""
    s = leaflet.strings
    blocks: list[Block] = []
    for heading, entries in ((s["county_local"], leaflet.local), (s["nationwide"], leaflet.nationwide)):
        for index, item in enumerate(entries):
            block = list(_entry(item, style))
            if index == 0:
                block.insert(0, run(heading, style.size + 3, bold=True, space_before=2))
            blocks.append(block)
    return blocks


def _entry(item: Entry, style: Style) -> Iterator[Run]:
    """Name, then the organisation and how the record was checked, then the contacts (and any notice); in the
    short styles the contacts, organisation and check are one paragraph under the name."""
    size = style.size
    name = f"{item.name} ({item.status})" if item.status else item.name
    if not style.inline:
        yield run(name, size + 0.5, bold=True, space_before=size * 0.3)
    if style.short:
        spans = [span for index, contact in enumerate(item.contacts)
                 for span in _contact(contact, last=index == len(item.contacts) - 1)]
        about = Span(f"({item.short_about if style.organisation else item.checked})", grey=GREY)
        if style.inline:
            yield Run((Span(f"{name}:", bold=True), *spans, about), size, size * 0.3)
        else:
            yield Run((*spans, about), size)
    else:
        yield run(item.about, size - 1, grey=GREY)
        for contact in item.contacts:
            yield Run(tuple(_contact(contact, last=True)), size)
    if item.notice:
        yield run(item.notice, size - 0.5, bold=True)
    if style.descriptions and item.description:
        yield run(item.description, size - 1, grey=GREY)


def _contact(contact: Contact, last: bool) -> list[Span]:
    end = "" if last else ";"
    spans = [Span(contact.kind, grey=GREY), Span(contact.reach + ("" if contact.hours else end), bold=contact.address)]
    if contact.hours:
        spans.append(Span(f"· {contact.hours}{end}"))
    return spans


@dataclass(frozen=True)
class _Placed:
    block: Block
    page: int
    x: float
    y: float


def _flow(pdf: _Leaflet, blocks: list[Block], top: float) -> list[_Placed] | None:
    """Where each block goes: down a column, then the next column, then the next page; None if too long."""
    width = _column_width()
    bottom = PAGE_H - MARGIN - FOOTER_H
    page, column, start = 1, 0, top
    y = start
    placed = []
    for block in blocks:
        height = sum(pdf.height(paragraph, width) for paragraph in block)
        if y + height > bottom and y > start:
            column += 1
            if column == 2:
                page, column, start = page + 1, 0, MARGIN
            y = start
        if page > MAX_PAGES or y + height > bottom:
            return None
        placed.append(_Placed(block, page, MARGIN + column * (width + GUTTER), y))
        y += height
    return placed


def _column_width() -> float:
    return (PAGE_W - 2 * MARGIN - GUTTER) / 2


def _draw(pdf: _Leaflet, placed: list[_Placed]) -> None:
    width = _column_width()
    for item in placed:
        while pdf.page_no() < item.page:
            pdf.add_page()
        y = item.y
        for paragraph in item.block:
            y = pdf.write_run(item.x, y, paragraph, width)
