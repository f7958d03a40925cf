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

# %% [markdown]
# # Rahuldamata nõudlus / Unmet demand
#
# Abandoned contacts, contacts outside staffed hours (chat closed at night, video by day only) and
# callers who came back within 24 hours after abandoning, by hour and weekday.

# %% tags=["parameters"]
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""

# %%
from abikaart.stats import charts, unmet, views
from abikaart.stats.disclosure import protect_table

data = views.load_inputs(data_path, period, roster_path or None)
counts = ["offered", "abandoned", "outside_hours", "repeat_after_abandon"]

# %%
by_hour = unmet.unmet_table(data.period, data.roster, by="hour")
total = by_hour[counts].sum()
total["unmet_share"] = total["abandoned"] / total["offered"]
hour_table = protect_table(by_hour, counts, rates={"unmet_share": "offered"}, total=total)
print(hour_table)

# %%
by_weekday = unmet.unmet_table(data.period, data.roster, by="weekday")
print(protect_table(by_weekday, counts, rates={"unmet_share": "offered"}))

# %%
plot = protect_table(by_hour, counts)
for lang in ("et", "en"):
    fig = charts.bar_chart(plot, ["abandoned", "outside_hours", "repeat_after_abandon"],
                           charts.text("abandoned", lang) + f" {period}", charts.text("hour", lang),
                           charts.text("contacts", lang), lang)
    charts.save(fig, views.figure_path(output_dir, f"unmet_by_hour_{lang}"))
