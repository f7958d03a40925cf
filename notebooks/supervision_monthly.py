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
# # Kuu supervisiooniaruanne / Monthly supervision report
#
# Contacts, answer rate, speed of answer, service level (80% within 20 s) and handle time for the month,
# by channel, language, need, weekday and hour.  Every table and chart has passed disclosure control:
# counts 1-9 are shown as "<10", others rounded to 5, rates and means only where n >= 10.

# %% tags=["parameters"]
period = "2026-10"
data_path = "contacts-2026.csv"
output_dir = "reports/2026-10"
docs_dir = "docs-internal/reports"
roster_path = ""

# %%
from abikaart.stats import charts, kpi, views
from abikaart.stats.disclosure import protect_table

data = views.load_inputs(data_path, period, roster_path or None)
month = data.period
# All KPI tables are audited together (identities between them included) before any is shown.
published = views.supervision_publication(month).tables

# %% [markdown]
# ## Kanalite kaupa / By channel

# %%
by_channel = published["channel"]
print(by_channel)

# %% [markdown]
# ## Keelte ja vajaduste kaupa / By language and need

# %%
print(published["language"])
print(published["need"])

# %% [markdown]
# ## Nädalapäeva ja tunni kaupa / By weekday and hour

# %%
by_weekday = published["weekday"]
by_hour = published["hour"]
print(by_weekday)
print(by_hour)

# %% [markdown]
# ## E-post / E-mail (% answered within 4 and 24 hours)

# %%
mail = kpi.email_response(month, by="month")
print(protect_table(mail, ["received"], rates={"share_within_4h": "received", "share_within_24h": "received"}))

# %%
hour_rows = by_hour.values.drop(index=by_hour.values.index[-1])
from abikaart.stats.disclosure import ProtectedTable  # noqa: E402

hours = ProtectedTable(hour_rows, by_hour.display.iloc[:-1], by_hour.note)
for lang in ("et", "en"):
    fig = charts.bar_chart(hours, ["offered", "abandoned"], charts.text("contacts", lang) + f" {period}",
                           charts.text("hour", lang), charts.text("contacts", lang), lang)
    charts.save(fig, views.figure_path(output_dir, f"supervision_contacts_by_hour_{lang}"))
    fig = charts.line_chart(hours, ["service_level", "answer_rate"], charts.text("service_level", lang),
                            charts.text("hour", lang), "%", lang, percent=True)
    charts.save(fig, views.figure_path(output_dir, f"supervision_service_level_{lang}"))
