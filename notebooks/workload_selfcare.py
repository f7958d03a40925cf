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
# # Töökoormus ja enesehoid / Workload and self-care
#
# Per shift (pseudonymous, never per person): contacts, high-risk contacts, the longest run of difficult
# contacts without a 10-minute break, after-contact work, and the share of night shifts.  Only team
# aggregates over at least 5 shifts are shown; the flags are patterns for supervision to look at.

# %% tags=["parameters"]
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""

# %%
from abikaart.stats import charts, views, workload
from abikaart.stats.disclosure import protect_team

data = views.load_inputs(data_path, period, roster_path or None)
rules = workload.WorkloadRules()
shifts = workload.shift_summary(data.period, rules)

# %%
team = workload.team_workload(shifts, by="shift_type")
flags = list(workload.FLAG_COLUMNS)
shares = {f"share_{f[5:]}": "shifts" for f in flags}
team_table = protect_team(team, "shifts", counts=["contacts", "high_risk", *flags], rates=shares,
                          means={"mean_contacts": "shifts", "mean_high_risk": "shifts",
                                 "mean_acw_share": "shifts"})
print(team_table)

# %%
history_shifts = workload.shift_summary(data.history, rules)
print(protect_team(workload.night_share(history_shifts), "shifts", counts=["night_shifts"],
                   rates={"night_share": "shifts"}))

# %%
for lang in ("et", "en"):
    fig = charts.bar_chart(team_table, [f"share_{f[5:]}" for f in flags], charts.text("flagged", lang),
                           charts.text("share", lang), charts.text("share", lang), lang)
    charts.save(fig, views.figure_path(output_dir, f"workload_flags_{lang}"))
