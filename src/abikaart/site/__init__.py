"""The public help directory site: an MkDocs plugin that turns the directory into pages.

`config` holds the plugin's typed options, `plugin` the MkDocs hooks, `pages` the page models and
`render` the templates; the theme overrides live in `overrides/`.
"""
