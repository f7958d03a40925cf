"""Run the statistics notebooks with papermill and write the reports.

Notebooks are committed as jupytext py:percent files without outputs.  Each run converts them to a
temporary .ipynb and executes it on a private kernelspec that points at this very Python, so a fresh
virtual environment works without any manual `ipykernel install`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import papermill

NOTEBOOKS: tuple[str, ...] = ("supervision_monthly", "staffing_by_hour", "language_demand", "unmet_demand",
                              "workload_selfcare", "development_proposals")
KERNEL_NAME = "abikaart-stats"


class ReportError(RuntimeError):
    """A notebook failed to run; the message names it and the failing cell's error."""


def find_notebooks_dir(start: Path | None = None) -> Path:
    """Locate notebooks/: $ABIKAART_NOTEBOOKS, else walk up from `start`, cwd and this file."""
    env = os.environ.get("ABIKAART_NOTEBOOKS")
    if env:
        return Path(env)
    for base in [*([start] if start else []), Path.cwd(), Path(__file__).resolve()]:
        for parent in [base, *base.parents]:
            if (parent / "notebooks" / f"{NOTEBOOKS[0]}.py").is_file():
                return parent / "notebooks"
    raise FileNotFoundError("notebooks/ not found; pass --notebooks-dir or set ABIKAART_NOTEBOOKS")


@contextmanager
def private_kernel() -> Iterator[str]:
    """A kernelspec running this interpreter, visible to papermill through JUPYTER_PATH while in use."""
    with tempfile.TemporaryDirectory(prefix="abikaart-kernel-") as tmp:
        spec_dir = Path(tmp) / "kernels" / KERNEL_NAME
        spec_dir.mkdir(parents=True)
        spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "abikaart stats", "language": "python"}
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join([tmp, *([old] if old else [])])
        try:
            yield KERNEL_NAME
        finally:
            if old is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = old


def to_ipynb(source: Path, target: Path) -> Path:
    """Convert a py:percent notebook to .ipynb (no outputs) for papermill."""
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "abikaart stats",
                                       "language": "python"}
    nbformat.write(notebook, target)  # type: ignore[no-untyped-call]
    return target


def run_notebook(source: Path, output: Path, parameters: Mapping[str, Any], kernel_name: str,
                 timeout: int = 600) -> Path:
    """Execute one notebook with parameters; the executed copy (protected tables only) goes to `output`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="abikaart-nb-") as tmp:
        ipynb = to_ipynb(source, Path(tmp) / f"{source.stem}.ipynb")
        try:
            papermill.execute_notebook(str(ipynb), str(output), parameters=dict(parameters),
                                       kernel_name=kernel_name, progress_bar=False, log_output=False,
                                       execution_timeout=timeout, cwd=str(Path.cwd()))
        except papermill.PapermillExecutionError as exc:
            raise ReportError(f"{source.name}: cell {exc.exec_count}: {exc.ename}: {exc.evalue}") from None
    return output


def run_report(period: str, data_path: Path, out_dir: Path, docs_dir: Path, roster_path: Path | None = None,
               notebooks: Sequence[str] | None = None, notebooks_dir: Path | None = None, lang: str = "et",
               progress: Callable[[int, int, str], None] | None = None) -> list[Path]:
    """Run the chosen notebooks (default all) for `period`; return the executed notebook paths.

    `progress(i, n, name)` is called before each notebook, so a caller can show where a long run is.
    """
    nb_dir = notebooks_dir or find_notebooks_dir()
    params = {"period": period, "data_path": str(Path(data_path).resolve()),
              "output_dir": str(Path(out_dir).resolve()), "docs_dir": str(Path(docs_dir).resolve()),
              "roster_path": str(Path(roster_path).resolve()) if roster_path else "", "lang": lang}
    written = []
    with private_kernel() as kernel:
        chosen = list(notebooks or NOTEBOOKS)
        for i, name in enumerate(chosen, 1):
            if progress:
                progress(i, len(chosen), name)
            source = nb_dir / f"{name}.py"
            if not source.is_file():
                raise ReportError(f"{source}: notebook not found")
            written.append(run_notebook(source, Path(out_dir) / f"{name}.ipynb", params, kernel))
    return written
