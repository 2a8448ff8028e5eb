"""Permission-matrix rows for the web views (see chorus/orgs/tests/matrix.py)."""

from chorus.orgs.tests.matrix import Case

CASES: list[Case] = [
    Case("web:home", "self.view", lambda t, own: "/", cross_tenant=False),
]
