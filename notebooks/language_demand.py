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
# Language demand: share and trend per language and hour, and the Russian- and English-speaking counsellors
# needed (Ukrainian-speaking callers are served in Russian, other languages in English or via an interpreter).
# Speakers are a minimum among the counsellors on duty, not extra ones: Russian-speaking callers need a
# Russian speaker, so those must meet the target for that traffic on their own (Erlang A); English and other
# languages overflow to any counsellor, so only their configured minimum applies.  The page
# (OUTPUT_DIR/language_demand.md) is written in LANG (et by default, ru or en).
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""
lang = "et"

# %%
import pandas as pd
from IPython.display import Markdown, display

from abikaart.stats import charts, language, views
from abikaart.stats.disclosure import TOTAL, protect_crosstab, protect_table
from abikaart.stats.pages import Page, TableMeta, span

data = views.load_inputs(data_path, period, roster_path or None)
page = Page("language_demand", period, lang)
upto = data.contacts[(data.contacts["start_time"] < data.end).to_numpy()]
first = views.period_bounds(upto["start_time"].min().strftime("%Y-%m"))[0]
all_months = span(first, data.end)

# %%
by_month = protect_crosstab(language.language_counts(upto, "month"))
page.table("language_month", by_month,
           TableMeta(all_months, ("offered_span", {"n": int(by_month.values.loc[TOTAL, TOTAL])})))
trend = language.language_trend(upto)[["contacts", "slope_pp_per_month"]].rename(columns={"contacts": "offered"})
page.table("language_trend", protect_table(trend, ["offered"], means={"slope_pp_per_month": "offered"}),
           TableMeta(all_months, ("offered_span", {"n": int(by_month.values.loc[TOTAL, TOTAL])}), rows="language"))

# %%
by_hour = protect_crosstab(language.language_counts(data.period, "hour"))
page.table("language_hour", by_hour, TableMeta(span(data.start, data.end),
                                               ("offered_month", {"n": int(by_hour.values.loc[TOTAL, TOTAL])})))

# %%
speakers = language.speakers_needed(data.history, data.roster)
plan_cols = [c for c in speakers.columns if c.endswith(("_needed", "_roster"))]
speakers_table = protect_table(speakers[plan_cols], plan=plan_cols)
page.table("languages", speakers_table,
           TableMeta(span(data.end - pd.Timedelta(weeks=12), data.end), ("offered_window", {})))
page.figure("language_speakers", charts.line_chart(
    speakers_table, plan_cols, charts.text("speakers_title", lang), charts.text("hour", lang),
    charts.text("counsellors", lang), lang))

# %%
text, written = page.write(output_dir)
display(Markdown(text))
