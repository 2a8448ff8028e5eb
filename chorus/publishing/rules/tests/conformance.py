"""Where the shared conformance data lives, and how a test asks for it.

The data sits beside the repository, in ``../shared/conformance`` (twitter-text, AT
Protocol and Mastodon.py vectors). Tests read it at run time and never copy it; when the
folder is absent they are skipped, saying so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[4]
CONFORMANCE = REPOSITORY.parent / "shared" / "conformance"


def _require(relative: str) -> Path:
    path = CONFORMANCE / relative
    if not path.is_file():
        pytest.skip(f"conformance data {relative} not found under {CONFORMANCE}")
    return path


def load_yaml(relative: str) -> Any:
    return yaml.safe_load(_require(relative).read_text(encoding="utf-8"))


def load_json(relative: str) -> Any:
    return json.loads(_require(relative).read_text(encoding="utf-8"))


def cases(relative: str, *keys: str, loader: str = "yaml") -> list[Any]:
    """Test cases found under ``keys`` in a data file, as pytest params with readable ids.

    Read at collection time; a missing file yields one skipped param instead of failing.
    """
    path = CONFORMANCE / relative
    if not path.is_file():
        reason = f"conformance data {relative} not found under {CONFORMANCE}"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="missing")]
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) if loader == "yaml" else json.loads(text)
    for key in keys:
        data = data[key]
    return [
        pytest.param(case, id=str(case.get("description") or case.get("text"))[:80])
        for case in data
    ]
