"""Counselling statistics: data contract, synthetic data, KPIs, staffing, disclosure control, notebooks."""
