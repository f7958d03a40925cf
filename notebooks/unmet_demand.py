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
# Unmet demand: abandoned contacts, contacts outside staffed hours (chat closed at night, video by day only)
# and callers who came back within 24 hours after abandoning, by hour and weekday.  The page
# (OUTPUT_DIR/unmet_demand.md) is written in LANG (et by default, ru or en).
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""
lang = "et"

# %%
from IPython.display import Markdown, display

from abikaart.stats import charts, unmet, views
from abikaart.stats.disclosure import protect_table
from abikaart.stats.pages import Page, TableMeta, span

data = views.load_inputs(data_path, period, roster_path or None)
counts = ["offered", "abandoned", "outside_hours", "repeat_after_abandon"]
month_span = span(data.start, data.end)
page = Page("unmet_demand", period, lang)

# %%
by_hour = unmet.unmet_table(data.period, data.roster, by="hour")
total = by_hour[counts].sum()
total["unmet_share"] = total["abandoned"] / total["offered"]
hour_table = protect_table(by_hour, counts, rates={"unmet_share": "offered"}, total=total)
offered = int(hour_table.values["offered"].iloc[-1])  # the published, rounded total
page.table("unmet", hour_table, TableMeta(month_span, ("offered_month", {"n": offered})))

# %%
by_weekday = unmet.unmet_table(data.period, data.roster, by="weekday")
page.table("unmet_weekday", protect_table(by_weekday, counts, rates={"unmet_share": "offered"}),
           TableMeta(month_span, ("offered_month", {"n": offered}), rows="weekday"))

# %%
plot = protect_table(by_hour, counts)
page.figure("unmet_demand_by_hour", charts.bar_chart(
    plot, ["abandoned", "outside_hours", "repeat_after_abandon"], charts.text("unmet_hour_title", lang, period=period),
    charts.text("hour", lang), charts.text("contacts", lang), lang))

# %%
text, written = page.write(output_dir)
display(Markdown(text))
