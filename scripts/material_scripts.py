"""Print the list of Material's reviewed inline scripts (`src/abikaart/site/safety/material-scripts.txt`).

After upgrading Material, run `python scripts/material_scripts.py --show` and read every script whose hash is
not in the committed list (a script runs on every page of the site), then write the list and commit it:

    python scripts/material_scripts.py > src/abikaart/site/safety/material-scripts.txt
"""

from __future__ import annotations

import sys
from importlib.metadata import version

from abikaart.site.safety.scripts import REVIEWED, material_templates, reviewed_digests, template_scripts

LEFT_OUT = ("material/partials/integrations/", "material/redirect.html")
"""Scripts the site must not run: analytics (a third party), redirects (a page-controlled URL; we have none)."""


def main(show: bool) -> None:
    reviewed = reviewed_digests() if REVIEWED.is_file() else set()
    print(f"# Inline scripts of Material for MkDocs {version('mkdocs-material')}, read and allowed by the CSP.")
    print("# sha256 of each <script> as its template writes it. Refresh: see scripts/material_scripts.py.")
    for script in template_scripts(material_templates(), "material"):
        left_out = "# left out: " if script.template.startswith(LEFT_OUT) else ""
        print(f"{left_out}{script.digest} {script.template}")
        if show and script.digest not in reviewed and not left_out:
            print(f"#   NOT REVIEWED YET: {script.text}", file=sys.stderr)


if __name__ == "__main__":
    main("--show" in sys.argv[1:])
