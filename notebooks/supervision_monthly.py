# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# Monthly supervision report: contacts, answer rate, speed of answer, service level (80% within 20 s) and
# handle time by channel, language, need, weekday and hour.  Every table and chart passes disclosure control
# and the page (OUTPUT_DIR/supervision_monthly.md) is written in LANG (et by default, ru or en).
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""
lang = "et"

# %%
from IPython.display import Markdown, display

from abikaart.stats import charts, kpi, views
from abikaart.stats.disclosure import ProtectedTable, protect_table
from abikaart.stats.pages import Page, TableMeta, span

data = views.load_inputs(data_path, period, roster_path or None)
month = data.period
month_span = span(data.start, data.end)
page = Page("supervision_monthly", period, lang)

# %%
# All KPI tables are audited together (identities between them included) before any is shown.
published = views.supervision_publication(month).tables
offered = int(published["channel"].values["offered"].iloc[-1])
rows = {"language": "language", "need": "need", "weekday": "weekday"}
for dim in views.SUPERVISION_DIMENSIONS:
    page.table(f"kpi_{dim}", published[dim],
               TableMeta(month_span, ("offered_month", {"n": offered}), rows=rows.get(dim, "value")))

# %%
mail = kpi.email_response(month, by="month")
page.table("email", protect_table(mail, ["received"], rates={"share_within_4h": "received",
                                                             "share_within_24h": "received"}),
           TableMeta(month_span, ("received_month", {})))

# %%
by_hour = published["hour"]
hours = ProtectedTable(by_hour.values.iloc[:-1], by_hour.display.iloc[:-1], by_hour.note)
page.figure("supervision_contacts_by_hour", charts.bar_chart(
    hours, ["offered", "abandoned"], charts.text("contacts_by_hour", lang, period=period),
    charts.text("hour", lang), charts.text("contacts", lang), lang))
page.figure("supervision_service_level", charts.line_chart(
    hours, ["service_level", "answer_rate"], charts.text("service_by_hour", lang, period=period),
    charts.text("hour", lang), charts.text("percent", lang), lang, percent=True))

# %%
text, written = page.write(output_dir)
display(Markdown(text))
