"""The official reference tables (NCM, CEST, municipalities, state rates) for tests that need them.

Import both names into a conftest: `from tests.reference_fixtures import reference_data, reference_tables  # noqa`.
The tables are loaded once per session outside any test transaction (~2 s), so every test sees them for free.
"""

import pytest
from django.core.management import call_command

from fiscal import reference
from fiscal.models import Municipality

__all__ = ["reference_data", "reference_tables"]


@pytest.fixture(scope="session")
def reference_tables(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference_data", verbosity=0)
    reference.clear_caches()


@pytest.fixture
def reference_data(reference_tables, db):
    # A transactional test flushes every table; reload inside this test's transaction when that happened.
    if not Municipality.objects.exists():
        call_command("load_reference_data", verbosity=0)
        reference.clear_caches()
