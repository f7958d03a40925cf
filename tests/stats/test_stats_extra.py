"""The statistics libraries are an extra: the core (directory, site plugins, exports, CLI) imports and runs
without them, and `abikaart stats` without them says which extra to install instead of a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from stats_helpers import REPO

STATS_LIBRARIES = ("pandas", "numpy", "pandera", "statsmodels", "scipy", "matplotlib", "papermill", "jupytext",
                   "ipykernel", "nbformat")

BLOCK = textwrap.dedent(f"""
    import importlib.abc, sys
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {STATS_LIBRARIES!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None
    sys.meta_path.insert(0, Block())
""")


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK + textwrap.dedent(code)], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"}, timeout=120)


def test_core_imports_and_validates_without_the_stats_extra() -> None:
    result = run("""
        import abikaart.cli, abikaart.directory, abikaart.export, abikaart.site.plugin, abikaart.site.internal
        import abikaart.stats.pii  # the repository hygiene test's detectors stay free of the extra
        from click.testing import CliRunner
        out = CliRunner().invoke(abikaart.cli.main, ["validate", "directory"])
        print("exit", out.exit_code)
        assert not [m for m in sys.modules if m.split(".")[0] in {libs!r}], "a stats library was imported"
    """.replace("{libs!r}", repr(STATS_LIBRARIES)))
    assert result.returncode == 0, result.stderr
    assert "exit 0" in result.stdout


def test_stats_command_without_the_extra_names_it() -> None:
    result = run("""
        import abikaart.cli
        from click.testing import CliRunner
        out = CliRunner().invoke(abikaart.cli.main, ["stats", "synth"])
        print(out.exit_code, out.output)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 ") and "pip install -e '.[stats]'" in result.stdout
    assert "Traceback" not in result.stdout
