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
# Counsellors needed per hour of the week to answer 80% of contacts within 20 seconds, from the last
# 12 weeks of demand: Erlang A (with abandonment) for phone, Erlang C on handle time / concurrency for chat,
# e-mail and video as workload, 30% shrinkage and a minimum of 2 per hour.  Compared with the current roster.

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
# ## Erlang C vs Erlang A telefonile / for phone (mean over weekdays)

# %%
by_hour = table.groupby("hour")[["phone_erlang_c", "phone_erlang_a", "chat_agents", "needed", "roster"]].mean()
print(protect_table(by_hour.round(1), plan=by_hour.columns))
print(f"Hinnanguline kannatlikkus / estimated patience: {staffing.estimate_patience(data.history) / 60:.1f} min")

# %%
for lang in ("et", "en"):
    fig = charts.heatmap(needed, charts.text("needed", lang) + " — " + charts.text("counsellors", lang), lang)
    charts.save(fig, views.figure_path(output_dir, f"staffing_needed_{lang}"))
    fig = charts.heatmap(gap, charts.text("gap", lang), lang, diverging=True, label="gap")
    charts.save(fig, views.figure_path(output_dir, f"staffing_gap_{lang}"))
