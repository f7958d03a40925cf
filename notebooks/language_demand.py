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
# # Keelte nõudlus / Language demand
#
# Share and trend per language and hour, and the Russian- and English-speaking counsellors needed
# (Ukrainian-speaking callers are served in Russian, other languages in English or via an interpreter).
# Speakers are a minimum among the counsellors on duty, not extra ones.  Russian-speaking callers need a
# Russian speaker, so those must meet the target for that traffic on their own (Erlang A); English and
# other languages overflow to any counsellor, so only their configured minimum applies.

# %% tags=["parameters"]
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""

# %%
from abikaart.stats import charts, language, views
from abikaart.stats.disclosure import protect_crosstab, protect_table

data = views.load_inputs(data_path, period, roster_path or None)

# %% [markdown]
# ## Kuude kaupa / By month (all data up to the period)

# %%
upto = data.contacts[(data.contacts["start_time"] < data.end).to_numpy()]
print(protect_crosstab(language.language_counts(upto, "month")))

# %% [markdown]
# ## Trend (percentage points per month)

# %%
trend = language.language_trend(upto)
print(protect_table(trend, ["contacts"], means={"slope_pp_per_month": "contacts"}))

# %% [markdown]
# ## Tunni kaupa selles kuus / By hour this month

# %%
by_hour = protect_crosstab(language.language_counts(data.period, "hour"))
print(by_hour)

# %% [markdown]
# ## Vene- ja ingliskeelsed nõustajad / Russian- and English-speaking counsellors needed (max over weekdays)

# %%
speakers = language.speakers_needed(data.history, data.roster)
plan_cols = [c for c in speakers.columns if c.endswith(("_needed", "_roster"))]
speakers_table = protect_table(speakers, plan=plan_cols)
print(speakers_table)

# %%
for lang in ("et", "en"):
    fig = charts.line_chart(speakers_table, plan_cols, charts.text("counsellors", lang) + " (ru/en)",
                            charts.text("hour", lang), charts.text("counsellors", lang), lang)
    charts.save(fig, views.figure_path(output_dir, f"language_speakers_{lang}"))
