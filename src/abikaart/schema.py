"""JSON Schemas of the data files, generated from the models, for editors' autocompletion and inline errors.

The data files declare them (`# yaml-language-server: $schema=../../schema/organisation.schema.json`); they are
committed under `schema/`, and `abikaart schema --check` (and a test) fail when they drift from the models. The
schemas describe what an editor sees (YAML 1.2: an unquoted 1247 is a number, a date is text); the models stay
the judge, with the cross-file checks (taxonomy terms, references) that a schema cannot make.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from abikaart.models import Organisation, Service, Taxonomy
from abikaart.numbers import NumberRegistry

SCHEMA_DIR = Path("schema")
DIALECT = "http://json-schema.org/draft-07/schema#"
"""Editors' YAML support (yaml-language-server) validates draft-07 fully and newer drafts only in part; the
schemas pydantic writes use no keyword newer than draft-07 (`$defs` is reached by a plain JSON pointer)."""
GENERATED = "Generated from src/abikaart/models.py by `abikaart schema`; do not edit by hand."

JsonSchema = dict[str, Any]


def _finish(schema: JsonSchema, title: str, description: str) -> JsonSchema:
    """Put the dialect, a title for the editor's status bar and the do-not-edit note first."""
    head = {"$schema": DIALECT, "$comment": GENERATED, "title": title, "description": description}
    return head | {key: value for key, value in schema.items() if key not in head}


def organisation_schema() -> JsonSchema:
    """directory/organisations/<id>.yaml: one organisation with its services nested."""
    return _finish(
        Organisation.model_json_schema(mode="validation"),
        "abikaart organisation",
        "One partner organisation per file, its locations and the services it offers. "
        + (Organisation.__doc__ or ""),
    )


def service_schema() -> JsonSchema:
    """directory/services/<id>.yaml: a service in a file of its own, which must name its organisation."""
    schema = copy.deepcopy(Service.model_json_schema(mode="validation"))
    organisation = schema["properties"]["organisation"]
    options = organisation.pop("anyOf", [])
    organisation.pop("default", None)
    organisation.update(next(option for option in options if option.get("type") != "null"))
    organisation["description"] = "The id of the organisation that offers it (its file under organisations/)."
    schema["required"] = [*schema["required"], "organisation"]
    return _finish(schema, "abikaart service", "A service in a file of its own. " + (Service.__doc__ or ""))


def taxonomy_schema() -> JsonSchema:
    """directory/taxonomies/<kind>.yaml: the terms services refer to."""
    return _finish(Taxonomy.model_json_schema(mode="validation"), "abikaart taxonomy",
                   "The terms of one taxonomy: needs, audiences, counties, channels or languages.")


def numbers_schema() -> JsonSchema:
    """directory/numbers.yaml: numbers never to publish as working."""
    return _finish(NumberRegistry.model_json_schema(mode="validation"), "abikaart number registry",
                   "Obsolete numbers (errors anywhere) and unconfirmed ones (must be marked to_verify).")


SCHEMAS: dict[str, Callable[[], JsonSchema]] = {
    "numbers.schema.json": numbers_schema,
    "organisation.schema.json": organisation_schema,
    "service.schema.json": service_schema,
    "taxonomy.schema.json": taxonomy_schema,
}
"""File name under schema/ -> its generator."""


def render(schema: JsonSchema) -> str:
    """Stable text, so the committed file changes only when the models do."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """Every schema file's name and text."""
    return {name: render(build()) for name, build in SCHEMAS.items()}


def drifted(out_dir: Path = SCHEMA_DIR) -> list[Path]:
    """Schema files that are missing or differ from what the models generate."""
    return [
        out_dir / name
        for name, text in generate().items()
        if not (out_dir / name).is_file() or (out_dir / name).read_text(encoding="utf-8") != text
    ]


def write(out_dir: Path = SCHEMA_DIR) -> list[Path]:
    """Write the schema files that changed; return those written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed = drifted(out_dir)
    texts = generate()
    for path in changed:
        path.write_text(texts[path.name], encoding="utf-8")
    return changed
