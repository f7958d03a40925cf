"""Read YAML into plain values plus a line and column for every key, value and list item.

PyYAML's C parser stops at the node graph (`yaml.compose`), which carries marks at C speed; building the
values ourselves keeps every scalar as the string the author typed (YAML 1.1 would turn `no` into False,
`2026-10-01` into a date and 116006 into an int), and lets us reject duplicate keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from abikaart.problems import Problem

Loc = tuple[str | int, ...]
Mark = tuple[int, int]

MAX_DEPTH = 40
"""Deeper nesting than any record needs is reported, not recursed into."""

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(slots=True)
class Document:
    """One YAML file: its values and where each of them stands."""

    path: str
    data: Any = None
    values: dict[Loc, Mark] = field(default_factory=dict)
    keys: dict[Loc, Mark] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def mark(self, loc: Loc) -> Mark:
        """The position of `loc`'s value, or of its nearest ancestor that exists."""
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def key_mark(self, loc: Loc) -> Mark:
        """The position of the key `loc` (for unknown fields), falling back to its value."""
        return self.keys.get(loc) or self.mark(loc)


class _TooDeep(Exception):
    def __init__(self, mark: Mark) -> None:
        self.mark = mark


def _mark(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(doc: Document, node: yaml.Node, loc: Loc) -> Any:
    """Turn a node into plain values, recording positions; duplicate keys become problems."""
    if len(loc) > MAX_DEPTH:
        raise _TooDeep(_mark(node))
    doc.values[loc] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(doc, node, loc)
    if isinstance(node, yaml.SequenceNode):
        return [_build(doc, item, (*loc, index)) for index, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:null" and node.value in _NULLS:
        return None
    return str(node.value)


def _build_mapping(doc: Document, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            doc.problems.append(_problem(doc, _mark(key_node), loc, "a key must be a plain name", "write key: value"))
            continue
        key = str(key_node.value)
        if key == "<<":
            doc.problems.append(
                _problem(doc, _mark(key_node), loc, "merge keys ('<<') are not supported", "write the fields out")
            )
            continue
        if key in result:
            first = doc.keys[(*loc, key)]
            doc.problems.append(
                _problem(
                    doc, _mark(key_node), (*loc, key), f"duplicate key {key!r} (first at line {first[0]})",
                    "remove one of them",
                )
            )
            continue
        doc.keys[(*loc, key)] = _mark(key_node)
        result[key] = _build(doc, value_node, (*loc, key))
    return result


def _problem(doc: Document, mark: Mark, loc: Loc, message: str, fix: str, code: str = "yaml") -> Problem:
    return Problem(doc.path, mark[0], mark[1], format_loc(loc), message, fix, code=code)


def format_loc(loc: Loc) -> str:
    """`('services', 2, 'phones', 0, 'number')` -> `services[2].phones[0].number`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _decode(doc: Document, raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        doc.problems.append(
            Problem(doc.path, line, col, "", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                    "save the file as UTF-8", code="encoding")
        )
        return None


def parse_text(path: str, raw: bytes) -> Document:
    """Parse one file's bytes; every failure becomes a problem on the document, never an exception."""
    doc = Document(path)
    text = _decode(doc, raw)
    if text is None:
        return doc
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = " ".join(filter(None, [exc.context, exc.problem]))
        doc.problems.append(Problem(path, line, col, "", f"YAML syntax error: {reason}",
                                    "check the indentation, colons and quotes on this line", code="syntax"))
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        doc.problems.append(Problem(path, 1, 1, "", f"YAML cannot be read: {type(exc).__name__}",
                                    "check the file's structure", code="syntax"))
        return doc
    if node is None:
        doc.problems.append(Problem(path, 1, 1, "", "the file is empty", "add the record's fields", code="empty"))
        return doc
    if not isinstance(node, yaml.MappingNode):
        line, col = _mark(node)
        doc.problems.append(Problem(path, line, col, "", "the file must be a mapping of field: value",
                                    "start with 'id: ...' on the first line", code="not_mapping"))
        return doc
    try:
        doc.data = _build(doc, node, ())
    except _TooDeep as exc:
        doc.problems.append(Problem(path, *exc.mark, "", f"nesting deeper than {MAX_DEPTH} levels",
                                    "flatten the structure", code="too_deep"))
    return doc


def read(path: Path, root: Path | None = None) -> Document:
    """Read and parse one file, naming it relative to `root` in problems."""
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        doc = Document(shown)
        doc.problems.append(Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}", None, code="io"))
        return doc
    return parse_text(shown, raw)


def find_files(directory: Path) -> list[Path]:
    """Every YAML file under `directory`, in a stable order."""
    return sorted(p for p in directory.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())
