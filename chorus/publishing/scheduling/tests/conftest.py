import pytest

from chorus.orgs.models import SocialAccount
from chorus.publishing.scheduling.tests.helpers import account


@pytest.fixture
def own(tenants) -> SocialAccount:
    """An Acme account of these tests' own, so rows other apps' fixtures add to
    `tenants.account` (slots, posts) do not change what the tests expect."""
    return account(tenants.workspace, "acme")
