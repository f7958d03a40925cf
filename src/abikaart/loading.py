"""Read YAML into plain values plus a line and column for every key, value and list item.

PyYAML's C parser stops at the node graph (`yaml.compose`), which carries marks at C speed; building the
values ourselves keeps every scalar as the string the author typed (YAML 1.1 would turn `no` into False,
`2026-10-01` into a date and 116006 into an int), and lets us reject duplicate keys and aliases. Positions
are looked up only when a problem needs one (`Document.mark`), so a valid file costs little more than
parsing it; `scripts/bench_validate.py` measures that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from abikaart.problems import Problem, shown

Loc = tuple[str | int, ...]
Mark = tuple[int, int]

MAX_DEPTH = 40
"""Deeper nesting than any record needs is reported, not recursed into."""

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _TextResolver:
    """Tags every scalar as text except a plain null: YAML 1.1's booleans, dates and ints never apply.

    Replaces PyYAML's regular-expression resolver, which ran in Python for every node and cost a quarter of
    the parse; values are built from the nodes in `_build`, so only null needs telling apart.
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULLS else _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG


try:
    from yaml._yaml import CParser

    class _Loader(CParser, _TextResolver):
        """libyaml's parser and composer (C speed, with marks) and the text resolver."""

except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _TextResolver
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)


@dataclass(slots=True)
class Document:
    """One YAML file: its values and, when a problem needs one, where each of them stands.

    Positions are found lazily, by composing the text again on the first `mark()`: a valid file (the
    usual case) never pays for them, and at 10,000 services they would take half of the memory.
    """

    path: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    text: str | None = field(default=None, repr=False)
    built: set[int] = field(default_factory=set, repr=False)
    """Ids of the lists and mappings already built, to refuse aliases to them."""
    _positions: tuple[dict[Loc, Mark], dict[Loc, Mark]] | None = field(default=None, repr=False)

    @property
    def values(self) -> dict[Loc, Mark]:
        """Where each value (mapping, list, item or scalar) starts."""
        return self._index()[0]

    @property
    def keys(self) -> dict[Loc, Mark]:
        """Where each mapping key starts."""
        return self._index()[1]

    def _index(self) -> tuple[dict[Loc, Mark], dict[Loc, Mark]]:
        if self._positions is None:
            values: dict[Loc, Mark] = {}
            keys: dict[Loc, Mark] = {}
            node = _compose_quietly(self.text)
            if node is not None:
                _record(node, (), values, keys, set())
            self._positions = (values, keys)
        return self._positions

    def mark(self, loc: Loc) -> Mark:
        """The position of `loc`'s value, or of its nearest ancestor that exists."""
        values = self.values
        while loc:
            if loc in values:
                return values[loc]
            loc = loc[:-1]
        return values.get((), (1, 1))

    def key_mark(self, loc: Loc) -> Mark:
        """The position of the key `loc` (for unknown fields), falling back to its value."""
        return self.keys.get(loc) or self.mark(loc)


class _TooDeep(Exception):
    def __init__(self, mark: Mark) -> None:
        self.mark = mark


class _Alias(_TooDeep):
    """A list or mapping used twice through a YAML alias: expanding nested aliases can take forever."""


def _mark(node: yaml.Node) -> Mark:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _build(doc: Document, node: yaml.Node, loc: Loc) -> Any:
    """Turn a node into plain values; duplicate keys, aliases and deep nesting become problems.

    The hot path of loading (every key, value and item of every file passes here), so it stays flat.
    """
    if len(loc) > MAX_DEPTH:
        raise _TooDeep(_mark(node))
    kind = type(node)
    if kind is yaml.ScalarNode:
        return None if node.tag == _NULL_TAG else node.value
    if id(node) in doc.built:
        raise _Alias(_mark(node))
    doc.built.add(id(node))
    if kind is yaml.MappingNode:
        return _build_mapping(doc, node, loc)
    if len(loc) < MAX_DEPTH:  # plain items inline: no call and no path for the most common node
        return [(None if item.tag == _NULL_TAG else item.value) if type(item) is yaml.ScalarNode
                else _build(doc, item, (*loc, index)) for index, item in enumerate(node.value)]
    return [_build(doc, item, (*loc, index)) for index, item in enumerate(node.value)]


def _build_mapping(doc: Document, node: yaml.Node, loc: Loc) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode:
            doc.problems.append(_problem(doc, _mark(key_node), loc, "a key must be a plain name", "write key: value"))
            continue
        key = key_node.value
        if key == "<<":
            doc.problems.append(
                _problem(doc, _mark(key_node), loc, "merge keys ('<<') are not supported", "write the fields out")
            )
            continue
        if key in result:
            first = next(_mark(other) for other, _ in node.value if other.value == key)
            doc.problems.append(
                _problem(
                    doc, _mark(key_node), (*loc, key), f"duplicate key {shown(key)} (first at line {first[0]})",
                    "remove one of them",
                )
            )
            continue
        if type(value_node) is yaml.ScalarNode and len(loc) < MAX_DEPTH:
            result[key] = None if value_node.tag == _NULL_TAG else value_node.value
        else:
            result[key] = _build(doc, value_node, (*loc, key))
    return result


def _record(node: yaml.Node, loc: Loc, values: dict[Loc, Mark], keys: dict[Loc, Mark], seen: set[int]) -> None:
    """The positions `_build` would have walked: same keys kept (the first of duplicates), same limits."""
    values[loc] = _mark(node)
    if len(loc) > MAX_DEPTH or isinstance(node, yaml.ScalarNode) or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*loc, index), values, keys, seen)
        return
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<" or (*loc, key_node.value) in keys:
            continue
        keys[(*loc, key_node.value)] = _mark(key_node)
        _record(value_node, (*loc, key_node.value), values, keys, seen)


def _problem(doc: Document, mark: Mark, loc: Loc, message: str, fix: str, code: str = "yaml") -> Problem:
    return Problem(doc.path, mark[0], mark[1], format_loc(loc), message, fix, code=code)


def format_loc(loc: Loc) -> str:
    """`('services', 2, 'phones', 0, 'number')` -> `services[2].phones[0].number`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        name = part if len(part) <= 40 else shown(part)[1:-1]
        text += f".{name}" if text else name
    return text


def _decode(doc: Document, raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", errors="replace")) + 1
        doc.problems.append(
            Problem(doc.path, line, col, "", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                    "save the file as UTF-8", code="encoding")
        )
        return None


_SYNTAX: list[tuple[str, bool, str, str]] = [
    # (libyaml's problem, report where its context starts, our message, the fix)
    ("mapping values are not allowed", False, "a ':' where no field can start",
     "put text that contains ': ' in quotes, e.g. name: 'Abi: 24/7', or line the field up with the others"),
    ("could not find expected ':'", True, "this line is not 'field: value'",
     "add ': ' after the field name, or put a long text in quotes"),
    ("expected ',' or ']'", True, "the list opened here is not closed",
     "close it with ']' and separate the items with ','"),
    ("expected ',' or '}'", True, "the mapping opened here is not closed",
     "close it with '}' and separate the fields with ','"),
    ("found unexpected end of stream", True, "the quote opened here is not closed",
     "close it with the same quote mark"),
    ("did not find expected key", False, "the indentation does not line up",
     "line this field up with the fields above it, using spaces"),
    ("did not find expected '-' indicator", False, "the indentation does not line up",
     "line this item up with the items above it, using spaces"),
    ("expected <block end>", False, "the indentation does not line up",
     "line this field up with the fields above it, using spaces"),
    ("found undefined alias", False, "a value starts with '*' (a YAML alias)", "put the value in quotes"),
    ("found duplicate anchor", False, "a value starts with '&' (a YAML anchor) used twice",
     "put the value in quotes"),
    ("found another document", False, "a second document ('---') in the file",
     "keep one record per file: remove the '---' line"),
    ("exceeded maximum nesting depth", False, "nesting deeper than YAML allows", "flatten the structure"),
]


def _syntax_problem(path: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error in words a maintainer can act on, at the line to fix."""
    problem = exc.problem or ""
    message = " ".join(filter(None, [exc.context, exc.problem]))
    fix, mark = "check the indentation, colons and quotes on this line", exc.problem_mark or exc.context_mark
    for pattern, at_context, ours, ours_fix in _SYNTAX:
        if pattern in message:
            message, fix = ours, ours_fix
            if at_context and exc.context_mark is not None:
                mark = exc.context_mark
            break
    if "cannot start any token" in problem and mark is not None:
        char = text[mark.index] if mark.index < len(text) else ""
        if char == "\t":
            message, fix = "a tab character", "indent with spaces, not tabs"
        else:
            message, fix = f"a value cannot start with {char!r}", "put the value in quotes"
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(path, line, col, "", f"YAML syntax error: {message}", fix, code="syntax")


_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def _control_character(path: str, text: str) -> Problem:
    """YAML forbids control characters; name the first one and where it is (editors often hide it)."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return Problem(path, 1, 1, "", "YAML cannot read the file", "save it as plain UTF-8 text", code="syntax")
    line = text.count("\n", 0, found.start()) + 1
    col = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return Problem(path, line, col, "", f"YAML syntax error: control character U+{ord(found[0]):04X}",
                   "delete it; most editors do not show it", code="syntax")


def _compose(text: str) -> yaml.Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _compose_quietly(text: str | None) -> yaml.Node | None:
    """The node tree of a text that parsed once already (or None): for positions only."""
    if text is None:
        return None
    try:
        return _compose(text)
    except (yaml.YAMLError, RecursionError):
        return None


def parse_text(path: str, raw: bytes) -> Document:
    """Parse one file's bytes; every failure becomes a problem on the document, never an exception."""
    doc = Document(path)
    text = _decode(doc, raw)
    if text is None:
        return doc
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        doc.problems.append(_syntax_problem(path, text, exc))
        return doc
    except yaml.reader.ReaderError:
        doc.problems.append(_control_character(path, text))
        return doc
    except (yaml.YAMLError, RecursionError) as exc:
        doc.problems.append(Problem(path, 1, 1, "", f"YAML cannot be read: {type(exc).__name__}",
                                    "check the file's structure", code="syntax"))
        return doc
    doc.text = text
    if node is None:
        doc.problems.append(Problem(path, 1, 1, "", "the file is empty",
                                    "write the record's fields, starting with 'id:', or delete the file",
                                    code="empty"))
        return doc
    if not isinstance(node, yaml.MappingNode):
        line, col = _mark(node)
        got = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        doc.problems.append(Problem(path, line, col, "", f"the file must be a mapping of field: value, not {got}",
                                    "write one record per file as 'field: value' lines, starting with 'id:'",
                                    code="not_mapping"))
        return doc
    try:
        doc.data = _build(doc, node, ())
    except _Alias as exc:
        doc.problems.append(Problem(path, *exc.mark, "", "this list or mapping is used again through an alias "
                                    "('*name')", "write the fields out in full wherever they are needed",
                                    code="alias"))
    except _TooDeep as exc:
        doc.problems.append(Problem(path, *exc.mark, "", f"nesting deeper than {MAX_DEPTH} levels",
                                    "flatten the structure", code="too_deep"))
    doc.built.clear()
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
