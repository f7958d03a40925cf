"""Write the merged services into the organisation's file with ruamel.yaml's round trip.

Only what changed is touched: a field whose value is the same keeps its style, quotes and comments, a text
changed in one language keeps the others' folded style, a kept channel keeps its comments; a new field is put
where the model lists it, so the file reads like one written by hand.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from abikaart.loading import parse_text
from abikaart.models import Service

_ORDER = list(Service.model_fields)
_FLOW = ("needs", "audiences", "counties", "languages")
_DATES = ("verified", "notice_until")


def _yaml(sequence: int = 4, offset: int = 2) -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 116
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


@dataclass
class Tree:
    """A file's round-trip tree and how its lists are indented, so new items line up with the old ones."""

    data: CommentedMap
    sequence: int = 4
    offset: int = 2


def load(path: Path) -> Tree:
    text = path.read_text(encoding="utf-8")
    _guessed, sequence, offset = load_yaml_guess_indent(text)
    tree = Tree(CommentedMap(), sequence or 4, offset or 0)
    data = _yaml(tree.sequence, tree.offset).load(text)
    assert isinstance(data, CommentedMap)
    tree.data = data
    return tree


def dump(tree: Tree) -> str:
    out = io.StringIO()
    _yaml(tree.sequence, tree.offset).dump(tree.data, out)
    return out.getvalue()


def dump_over(original: str, tree: Tree, changed: set[str]) -> str:
    """`data` as text, with every part that did not change (a top-level field, a service not in `changed`)
    copied byte for byte from `original`: ruamel re-wraps long lines it did not have to touch."""
    new_text = dump(tree)
    old_blocks = _blocks(original)
    parts = []
    for label, text in _blocks(new_text).items():
        keep = label in old_blocks and not (label[0] == "service" and label[1] in changed)
        parts.append(old_blocks[label] if keep else text)
    return "".join(parts)


def _blocks(text: str) -> dict[tuple[str, str], str]:
    """The text of the head (comments before the first field), each top-level field and each service; where
    each starts comes from libyaml's marks (`loading`), which are fast where ruamel's parser is not."""
    doc = parse_text("", text.encode("utf-8"))
    data = doc.data if isinstance(doc.data, dict) else {}
    starts: list[tuple[int, tuple[str, str]]] = [(0, ("head", ""))]
    starts += [(doc.keys[(key,)][0] - 1, ("key", key)) for key in data]
    services = data.get("services")
    if isinstance(services, list):
        starts += [(doc.values[("services", index)][0] - 1, ("service", str(item.get("id"))))
                   for index, item in enumerate(services) if isinstance(item, dict)]
    starts.sort()
    lines = text.splitlines(keepends=True)
    ends = [start for start, _ in starts[1:]] + [len(lines)]
    return {label: "".join(lines[start:end]) for (start, label), end in zip(starts, ends, strict=True)}


def put_service(document: CommentedMap, old: dict[str, Any] | None, new: dict[str, Any]) -> None:
    """Bring the service `new['id']` of `document` from `old` (its plain values) to `new`, touching only changes."""
    services = document.get("services")
    if services is None:
        services = CommentedSeq()
        document["services"] = services
    if old is None:
        services.append(_node(new))
        return
    target = next(item for item in services if isinstance(item, CommentedMap) and str(item.get("id")) == old["id"])
    for key in [key for key in target if key not in new]:
        del target[key]
    for key, value in new.items():
        if key in old and old[key] == value:
            continue
        if key == "channels" and key in target:
            target[key] = _channels(target[key], old.get(key) or [], value)
        elif isinstance(value, dict) and isinstance(target.get(key), CommentedMap):
            _update_map(target[key], value)
        else:
            _insert(target, key, _scalar_or_node(key, value, target.get(key)))


def _update_map(target: CommentedMap, value: dict[str, Any]) -> None:
    for key in [key for key in target if key not in value]:
        del target[key]
    for key, text in value.items():
        if str(target.get(key)) != text:
            target[key] = text


def _channels(nodes: CommentedSeq, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> CommentedSeq:
    """Kept channels are the same map nodes (comments and all), minus what went; new ones are appended."""
    result = CommentedSeq()
    used: set[int] = set()
    for channel in new:
        index = next((i for i, was in enumerate(old) if i not in used and
                      {k: v for k, v in was.items() if k != "to_verify"} == channel), None)
        if index is None:
            result.append(_node(channel))
            continue
        used.add(index)
        node = nodes[index]
        if "to_verify" in node and "to_verify" not in channel:
            del node["to_verify"]
        result.append(node)
    return result


def _insert(target: CommentedMap, key: str, value: Any) -> None:
    """Set `key`, placing a new key after the fields the model lists before it."""
    if key in target:
        target[key] = value
        return
    rank = _ORDER.index(key) if key in _ORDER else len(_ORDER)
    before = [index for index, existing in enumerate(target) if existing in _ORDER and _ORDER.index(existing) < rank]
    target.insert(before[-1] + 1 if before else 0, key, value)


def _scalar_or_node(key: str, value: Any, was: Any) -> Any:
    if key in _FLOW and isinstance(value, list):
        seq = CommentedSeq(value)
        if isinstance(was, CommentedSeq) and not was.fa.flow_style():
            seq.fa.set_block_style()
        else:
            seq.fa.set_flow_style()
        return seq
    if key in _DATES and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return _node(value) if isinstance(value, dict | list) else value


def _node(value: Any) -> Any:
    """A new record or list, in the files' style: term lists inline, texts per language below their key."""
    if isinstance(value, dict):
        node = CommentedMap()
        for key in sorted(value, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER)) \
                if "id" in value else value:
            node[key] = _scalar_or_node(key, value[key], None)
        return node
    if isinstance(value, list):
        return CommentedSeq(_node(item) for item in value)
    return value
