"""Check that a built wheel carries what coffeechat reads at run time.

Run: python tools/check_wheel.py dist/coffeechat-*.whl (from the repository root; CI does).
Every question bank, every draft template, the gazetteer, py.typed and the LICENSE must be in
it, and its METADATA must give what a package index page shows: classifiers, project URLs, the
author and keywords. Prints what is missing and exits 1, else one line with the counts.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def main(wheel: str) -> int:
    names = set(zipfile.ZipFile(wheel).namelist())
    banks = sorted(Path("question_banks").glob("*.md"))
    templates = sorted(Path("src/coffeechat/templates").glob("*.txt"))
    needed = ["coffeechat/data/places.sqlite", "coffeechat/py.typed"]
    needed += [f"coffeechat/question_banks/{path.name}" for path in banks]
    needed += [f"coffeechat/templates/{path.name}" for path in templates]
    missing = [name for name in needed if name not in names]
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in names):
        missing.append("LICENSE (in .dist-info/licenses/)")
    metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
    fields = {
        line.split(":", 1)[0]
        for line in zipfile.ZipFile(wheel).read(metadata).decode().split("\n\n", 1)[0].splitlines()
    }
    for field in ("Classifier", "Project-URL", "Author", "Keywords"):
        if field not in fields:
            missing.append(f"{field} (in METADATA)")
    if missing or not banks or not templates:
        print(f"{wheel} lacks: {', '.join(missing) or 'the banks or templates to check'}")
        return 1
    print(f"{Path(wheel).name}: {len(banks)} question banks, {len(templates)} templates, ", end="")
    print("places.sqlite, py.typed, LICENSE and the index page's metadata")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
