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
# Workload and self-care, per shift (pseudonymous, never per person): contacts, high-risk contacts, the longest
# run of difficult contacts without a 10-minute break, after-contact work, and the share of night shifts.  Only
# team aggregates over at least 5 shifts are shown; the flags are patterns for supervision to look at.  The
# page (OUTPUT_DIR/workload_selfcare.md) is written in LANG (et by default, ru or en).
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""
lang = "et"

# %%
import pandas as pd
from IPython.display import Markdown, display

from abikaart.stats import charts, views, workload
from abikaart.stats.disclosure import protect_team
from abikaart.stats.pages import Page, TableMeta, span

data = views.load_inputs(data_path, period, roster_path or None)
rules = workload.WorkloadRules()
shifts = workload.shift_summary(data.period, rules)
page = Page("workload_selfcare", period, lang)

# %%
team = workload.team_workload(shifts, by="shift_type").rename(columns={"contacts": "answered"})
flags = list(workload.FLAG_COLUMNS)
shares = {f"share_{f[5:]}": "shifts" for f in flags}
team_table = protect_team(team, "shifts", counts=["answered", "high_risk", *flags], rates=shares,
                          means={"mean_contacts": "shifts", "mean_high_risk": "shifts", "mean_acw_pct": "shifts"})
page.table("workload", team_table, TableMeta(span(data.start, data.end), ("shifts_month", {})))

# %%
history_shifts = workload.shift_summary(data.history, rules)
page.table("night_share", protect_team(workload.night_share(history_shifts), "shifts", counts=["night_shifts"],
                                       rates={"night_share": "shifts"}),
           TableMeta(span(data.end - pd.Timedelta(weeks=12), data.end), ("shifts_window", {})))

# %%
page.figure("workload_flags", charts.bar_chart(
    team_table, list(shares), charts.text("flagged", lang), charts.text("shift_type", lang),
    charts.text("share", lang), lang, percent=True))

# %%
text, written = page.write(output_dir)
display(Markdown(text))
