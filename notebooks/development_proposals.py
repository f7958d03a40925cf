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
# Development proposals: brings together staffing, language demand, unmet demand, workload and the demand
# forecast for the next quarter, and writes a Markdown report with charts (SVG and PNG) in LANG (et by default,
# ru or en) into the internal guidance site: DOCS_DIR/PERIOD/index.md.
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""
lang = "et"

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

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
except ValueError:  # too little history: the report says so instead of an empty table
    weekly_forecast = None
try:
    errors = forecast.holdout_error(daily, holdout_weeks=8)
except ValueError:
    errors = None

# %%
# Last month's report is out already: its tables are frozen and audited with this month's (two-month identities).
previous = views.cut(data.contacts, views.previous_period(period), data.roster)
earlier = None if previous.period.empty else proposals.audited_month(previous)
t = data.contacts["start_time"]
two_months = None if earlier is None else data.contacts[((t >= previous.start) & (t < data.end)).to_numpy()]
refs = referrals.publication(data.period)
findings = proposals.build(period, data.period, staff, speakers, gaps, team, daily, weekly_forecast, errors,
                           fit, window=(data.end - pd.Timedelta(weeks=12), data.end), refs=refs, earlier=earlier,
                           two_months=two_months)

# %%
written = proposals.write_report(findings, report_dir, lang)
display(Markdown(written[0].read_text(encoding="utf-8")))
