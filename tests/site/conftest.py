"""One site build shared by the site tests: the bundled directory plus a shelter full of secrets.

The build takes seconds, so it runs once per session; tests that need a failing build copy it first.
"""

from __future__ import annotations

import pytest
from site_project import Project, build, make_project

from abikaart.directory import load_directory


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("site-project")
    config = make_project(root)
    result = build(config, root / "site")
    assert result.exit_code == 0, result.output
    loaded = load_directory(root / "directory", base=root)
    assert loaded.directory is not None
    return Project(root, config, root / "site", root / "directory", loaded.directory)
