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
# # Arendusettepanekud / Development proposals
#
# Brings together staffing, language demand, unmet demand, workload and the demand forecast for the next
# quarter, and writes a Markdown report with charts (SVG and PNG) in LANG (et by default, ru or en) into the
# internal guidance site: DOCS_DIR/PERIOD/index.md.

# %% tags=["parameters"]
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""
lang = "et"

# %%
from pathlib import Path

import pandas as pd

from abikaart.stats import forecast, kpi, language, proposals, referrals, staffing, unmet, views, workload

data = views.load_inputs(data_path, period, roster_path or None)
report_dir = Path(docs_dir) / period
figures = report_dir / "figures"

# %%
staff = staffing.staffing_table(data.history, data.roster)
fit = staffing.backtest(data.history, data.roster)
speakers = language.speakers_needed(data.history, data.roster)
gaps = unmet.unmet_table(data.period, data.roster, by="hour")
shifts = workload.shift_summary(data.period)
team = workload.team_workload(shifts, by="shift_type")
history = data.contacts[(data.contacts["start_time"] < data.end).to_numpy()]
daily = kpi.daily_counts(history)
try:
    weekly_forecast = forecast.forecast_weekly(daily, 13)
except ValueError as exc:  # too little history: the report says so instead of an empty table
    weekly_forecast = None
    print(exc)
try:
    errors = forecast.holdout_error(daily, holdout_weeks=8)
except ValueError as exc:
    errors = None
    print(exc)

# %%
refs = referrals.publication(data.period)
findings = proposals.build(period, data.period, staff, speakers, gaps, team, daily, weekly_forecast, errors,
                           fit, window=(data.end - pd.Timedelta(weeks=12), data.end), refs=refs)
for table in findings.tables.values():
    print(table)

# %%
written = proposals.write_report(findings, report_dir, lang)
print("\n".join(str(p) for p in written))
