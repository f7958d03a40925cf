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
# Staffing by hour of the week: counsellors on duty needed per hour to answer 80% of contacts within 20 s,
# from the last 12 weeks of demand (phone, chat and video as one Erlang A queue, e-mail as a backlog, at
# least 2 an hour), against the current roster (counsellors on duty, so no shrinkage in the comparison;
# `scheduled` adds 30% shrinkage).  The back-test puts the observed service level next to Erlang A's for the
# roster.  The page (OUTPUT_DIR/staffing_by_hour.md) is written in LANG (et by default, ru or en).
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""
lang = "et"

# %%
import pandas as pd
from IPython.display import Markdown, display

from abikaart.stats import charts, labels, staffing, views
from abikaart.stats.disclosure import protect_table
from abikaart.stats.pages import Page, TableMeta, span

data = views.load_inputs(data_path, period, roster_path or None)
config = staffing.StaffingConfig()
table = staffing.staffing_table(data.history, data.roster, config)
window = TableMeta(span(data.end - pd.Timedelta(weeks=12), data.end), ("window_weekdays", {}),
                   rows="weekday")
page = Page("staffing_by_hour", period, lang)

# %%
needed, gap = views.grid(table, "needed"), views.grid(table, "gap")
page.table("needed_grid", needed, window)
page.table("gap_grid", gap, window)

# %%
by_hour = table.groupby("hour")[["live_load", "phone_erlang_c", "phone_erlang_a", "pooled_erlang_a", "needed",
                                  "scheduled", "roster"]].mean()
page.table("load_by_hour", protect_table(by_hour.round(1), plan=by_hour.columns),
           TableMeta(window.period, ("window_weekdays", {})))
minutes = f"{staffing.estimate_patience(data.history) / 60:.1f}"
page.notes.append(labels.text("pages", "patience", lang, minutes=minutes if lang == "en" else
                              minutes.replace(".", ",")))

# %%
fit = staffing.backtest(data.history, data.roster, config).groupby("hour")[
    ["offered", "answered_in_target", "predicted_in_target"]].sum()
fit["observed_sl"] = fit["answered_in_target"] / fit["offered"].where(fit["offered"] > 0)
fit["predicted_sl"] = fit["predicted_in_target"] / fit["offered"].where(fit["offered"] > 0)
fit_table = protect_table(fit[["offered", "observed_sl", "predicted_sl"]], ["offered"],
                          rates={"observed_sl": "offered", "predicted_sl": "offered"})
page.table("backtest_hour", fit_table, TableMeta(window.period, ("window_hour", {})))
page.notes.append(labels.text("report", "backtest_caveat", lang))

# %%
page.figure("staffing_needed", charts.heatmap(needed, charts.text("needed_title", lang), lang))
page.figure("staffing_gap", charts.heatmap(gap, charts.text("gap_title", lang), lang, diverging=True, label="gap"))
page.figure("staffing_backtest", charts.line_chart(
    fit_table, ["observed_sl", "predicted_sl"], charts.text("backtest_hour", lang), charts.text("hour", lang),
    charts.text("service_level", lang), lang, percent=True))

# %%
text, written = page.write(output_dir)
display(Markdown(text))
