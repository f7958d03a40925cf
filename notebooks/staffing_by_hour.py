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
# # Nõustajate vajadus tunni kaupa / Staffing by hour of the week
#
# Counsellors on duty needed per hour of the week to answer 80% of contacts within 20 seconds, from the
# last 12 weeks of demand: phone, chat (handle time / concurrency) and video as one Erlang A queue (every
# counsellor answers every live channel), e-mail as a backlog between contacts, and a minimum of 2 per hour.
# Compared with the current roster, which counts counsellors on duty, so no shrinkage in the comparison;
# `scheduled` adds 30% shrinkage to turn the need into hours to plan.  The back-test puts the observed
# service level next to what the model predicts for the roster.

# %% tags=["parameters"]
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""

# %%
from abikaart.stats import charts, staffing, views
from abikaart.stats.disclosure import protect_table

data = views.load_inputs(data_path, period, roster_path or None)
config = staffing.StaffingConfig()
table = staffing.staffing_table(data.history, data.roster, config)

# %% [markdown]
# ## Vajadus, graafik ja vahe / Need, roster and gap (weekday x hour)

# %%
needed = views.grid(table, "needed")
roster = views.grid(table, "roster")
gap = views.grid(table, "gap")
print(needed)
print(gap)

# %% [markdown]
# ## Koormus ja vajadus / Load and need (mean over weekdays; phone alone for comparison)

# %%
by_hour = table.groupby("hour")[["live_load", "phone_erlang_c", "phone_erlang_a", "pooled_erlang_a", "needed",
                                  "scheduled", "roster"]].mean()
print(protect_table(by_hour.round(1), plan=by_hour.columns))
print(f"Hinnanguline kannatlikkus / estimated patience: {staffing.estimate_patience(data.history) / 60:.1f} min")

# %% [markdown]
# ## Mudeli kontroll / Back-test: observed service level vs Erlang A for the roster, by hour of day

# %%
fit = staffing.backtest(data.history, data.roster, config).groupby("hour")[
    ["offered", "answered_in_target", "predicted_in_target"]].sum()
fit["observed_sl"] = fit["answered_in_target"] / fit["offered"].where(fit["offered"] > 0)
fit["predicted_sl"] = fit["predicted_in_target"] / fit["offered"].where(fit["offered"] > 0)
fit_table = protect_table(fit, ["offered"], rates={"observed_sl": "offered", "predicted_sl": "offered"})
print(fit_table)

# %%
for lang in ("et", "en"):
    fig = charts.heatmap(needed, charts.text("needed", lang) + " — " + charts.text("counsellors", lang), lang)
    charts.save(fig, views.figure_path(output_dir, f"staffing_needed_{lang}"))
    fig = charts.heatmap(gap, charts.text("gap", lang), lang, diverging=True, label="gap")
    charts.save(fig, views.figure_path(output_dir, f"staffing_gap_{lang}"))
    fig = charts.line_chart(fit_table, ["observed_sl", "predicted_sl"], charts.text("backtest", lang),
                            charts.text("hour", lang), charts.text("service_level", lang), lang, percent=True)
    charts.save(fig, views.figure_path(output_dir, f"staffing_backtest_{lang}"))
