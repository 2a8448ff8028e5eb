"""Print the pinned requirements (runtime and test) declared in pyproject.toml.

The project itself is not installed into the shared virtualenv: the Makefile puts the
clone on PYTHONPATH, so one cached virtualenv serves every clone with the same pins.
"""

import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["project"]
for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
    print(requirement)
