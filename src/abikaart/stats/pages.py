"""The supervision, staffing, language, unmet-demand and workload notebooks as pages people read.

Each notebook collects its protected tables with their period and denominator and its charts, drawn in the
report's language, and writes one Markdown page (OUTPUT_DIR/NAME.md, charts in OUTPUT_DIR/figures) that it
also shows as its output.  Words come from labels.yaml, so the same checks hold as for the proposals report:
no raw column name, no bare header, every table with its period and denominator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure

from abikaart.stats import charts, labels
from abikaart.stats.disclosure import ProtectedTable
from abikaart.stats.proposals import TableMeta, span, table_markdown

__all__ = ["Page", "TableMeta", "span"]


@dataclass
class Page:
    """One notebook's published page: title and intro from `pages`, then tables and charts in `lang`."""

    name: str
    period: str
    lang: str = "et"
    sections: list[tuple[str, ProtectedTable, TableMeta]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)

    def table(self, key: str, table: ProtectedTable, meta: TableMeta) -> None:
        """Add a table under the heading `tables.KEY` (returns nothing, so a notebook cell shows nothing raw)."""
        self.sections.append((key, table, meta))

    def figure(self, name: str, fig: Figure) -> None:
        """Add a chart (already drawn in the page's language); its alt text is `alt.NAME`."""
        self.figures[name] = fig

    def markdown(self) -> str:
        """The page as Markdown: title, intro, notes, each table with period and denominator, the charts."""
        t, lang = labels.text, self.lang
        lines = [f"# {t('pages', self.name, lang, period=self.period)}", "", t("pages", f"{self.name}_intro", lang),
                 "", t("report", "intro", lang)]
        for note in self.notes:
            lines += ["", note]
        for key, table, meta in self.sections:
            den_key, den_values = meta.denominator
            lines += ["", f"## {t('tables', key, lang)}", "",
                      f"{t('report', 'period', lang, period=meta.period)} "
                      f"{t('report', 'denominator', lang, what=t('denominators', den_key, lang, **den_values))}", ""]
            if table.values.empty:
                lines.append(t("report", "empty", lang, why=t("why", meta.why_empty, lang)))
                continue
            lines += [table_markdown(table, lang, meta.rows), "", f"*{t('report', 'note', lang)}*"]
        if self.figures:
            lines += ["", f"## {t('report', 'charts', lang)}", ""]
            for name in self.figures:
                lines += [f"![{t('alt', name, lang)}](figures/{name}_{lang}.svg)", ""]
        return "\n".join(lines).rstrip("\n") + "\n"

    def write(self, output_dir: str | Path) -> tuple[str, list[Path]]:
        """Write the charts (SVG) and NAME.md into `output_dir`; return the Markdown and the files written."""
        out = Path(output_dir)
        written: list[Path] = []
        for name, fig in self.figures.items():
            written += charts.save(fig, out / "figures" / f"{name}_{self.lang}")
        text = self.markdown()
        out.mkdir(parents=True, exist_ok=True)
        page = out / f"{self.name}.md"
        page.write_text(text, encoding="utf-8")
        return text, [page, *written]
