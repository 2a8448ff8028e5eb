"""Permission-matrix rows for the API (see chorus/orgs/tests/matrix.py)."""

from chorus.orgs.tests.matrix import Case

CASES: list[Case] = []
