"""MkDocs plugin `abikaart/safety`: quick exit, Content-Security-Policy, no third parties, offline copy.

A person in crisis may be watched by the person who hurts them: every page gets a quick exit, nothing is loaded
from another origin, nothing is kept on the device, and counsellors get a copy that works from disk.
"""
