"""Partner intake: a partner's spreadsheet of services, validated by the directory's own rules, into its YAML.

`columns` names the template's columns in three languages, `sheets` reads an .xlsx or .csv into cells that
know their sheet, row and column, `rows` turns a row into a service record and merges it into the
organisation's file, `template` writes the blank template, and `run` ties them together for the CLI.
"""
