from tests.portal.conftest import client_a, client_b, world_a  # noqa: F401
from tests.reference_fixtures import reference_data, reference_tables  # noqa: F401
