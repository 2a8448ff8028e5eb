"""Runs every benchmark; each prints ratios measured within its own single run."""

import runpy
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("*.py")):
    helpers = {"run.py", "__init__.py", "webhook_receiver.py"}
    if script.name not in helpers and not script.name.endswith("_tasks.py"):
        print(f"== {script.stem} ==")
        runpy.run_path(str(script), run_name="__main__")
