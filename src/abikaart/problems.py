"""A problem found in the directory data, and its text, JSON and GitHub annotation formats.

Every problem names the file, line, column and field, says what is wrong and how to fix it, so a
maintainer editing YAML by hand never has to guess.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning"]

_SHORT = reprlib.Repr()
_SHORT.maxstring = 60


def shown(value: object) -> str:
    """A value quoted as typed, cut in the middle when long: a message quotes a value, never a whole page."""
    return _SHORT.repr(value if isinstance(value, str) else str(value))


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning at a place in a file."""

    path: str
    line: int
    col: int
    field: str
    message: str
    fix: str | None = None
    level: Level = "error"
    code: str = "invalid"

    def text(self) -> str:
        """`file:line:col: field: message (fix)`, the format editors and CI logs link to."""
        where = f"{self.path}:{self.line}:{self.col}: "
        level = "warning: " if self.level == "warning" else ""
        field = f"{self.field}: " if self.field else ""
        fix = f" ({self.fix})" if self.fix else ""
        return f"{where}{level}{field}{self.message}{fix}"

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
        title = self.field or self.code
        body = f"{self.message} ({self.fix})" if self.fix else self.message
        body = body.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.level} file={self.path},line={self.line},col={self.col},title={title}::{body}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.col, self.field)


def format_problems(problems: Iterable[Problem], fmt: str) -> str:
    """All problems in one format: `text`, `json` or `github`."""
    ordered = sorted(problems, key=Problem.sort_key)
    if fmt == "json":
        return json.dumps([asdict(problem) for problem in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(problem.github() for problem in ordered)
    return "\n".join(problem.text() for problem in ordered)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.level == "error" for problem in problems)
