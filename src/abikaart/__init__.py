"""abikaart: a help directory and analysis toolkit for a victim-support crisis service."""

__version__ = "0.1.0"
