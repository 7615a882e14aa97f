from tests.reference_fixtures import reference_data, reference_tables  # noqa: F401
