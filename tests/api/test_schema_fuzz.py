"""Schemathesis fuzzes every operation of /api/schema/ through the WSGI app, authenticated as seller A: no 5xx.

The schema is loaded from the app itself (no server); each operation gets a few generated cases (~15 s in all).
schemathesis' own pytest fixture loader trips over pytest 9, so the operations are parametrized here directly.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from rest_framework.authtoken.models import Token

from config.wsgi import application

SCHEMA = schemathesis.openapi.from_wsgi("/api/schema/", application)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
EXAMPLES_PER_OPERATION = 12


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Like Django's test Client: a request must not close the connection that holds the test transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.label for op in OPERATIONS])
def test_no_operation_answers_a_server_error(operation, world_a, user_a):
    headers = {"Authorization": f"Token {Token.objects.get_or_create(user=user_a)[0].key}"}

    @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy())
    def fuzz(case):
        response = case.call(headers=headers)
        assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])

    fuzz()


def test_the_schema_has_every_resource_and_action():
    paths = {op.path for op in OPERATIONS}
    assert {"/api/invoices/{id}/resend/", "/api/orders/{id}/preflight/", "/api/offers/{id}/remove-hybrid/",
            "/api/invoices/{id}/xml/", "/api/auth/token/"} <= paths
