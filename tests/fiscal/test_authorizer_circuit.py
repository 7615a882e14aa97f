"""One hung authorizer must not hold up sellers of other states: after repeated failures it is skipped a while."""

from datetime import timedelta

from django.utils import timezone

from fiscal.circuit import FAILURES_TO_OPEN, circuit_key, open_until
from fiscal.issuing import issue_invoice
from fiscal.models import AuthorizerCircuit, InvoiceStatus as S
from tests.fiscal.sefaz_fixtures import *  # noqa: F401,F403 - fixtures
from tests.fiscal.sefaz_fixtures import authorizations, inject, ledger


def test_repeated_timeouts_open_the_circuit_and_nothing_more_is_sent_to_that_authorizer(sandbox, sandbox_client, make_invoice):
    inject(sandbox, "delay", seconds=5, count=None)  # longer than the client's 3 s timeout
    for number in range(1, FAILURES_TO_OPEN + 1):
        issue_invoice(make_invoice(number), client=sandbox_client)
    key = circuit_key("SP", 2)
    assert open_until(key) is not None
    sent_before = len(ledger(sandbox)["authorizations"])
    waiting = issue_invoice(make_invoice(FAILURES_TO_OPEN + 1), client=sandbox_client)
    assert waiting.status == S.SIGNED and waiting.next_attempt_at >= open_until(key)  # not sent: backs off
    assert len(ledger(sandbox)["authorizations"]) == sent_before


def test_an_open_circuit_of_one_authorizer_does_not_stop_another(sandbox, sandbox_client, make_invoice):
    AuthorizerCircuit.objects.create(key=circuit_key("SVRS", 2), failures=FAILURES_TO_OPEN,
                                     open_until=timezone.now() + timedelta(minutes=2))
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)  # an SP seller: SP's own authorizer
    assert invoice.status == S.AUTHORIZED


def test_a_reply_closes_the_circuit_again(sandbox, sandbox_client, make_invoice):
    key = circuit_key("SP", 2)
    AuthorizerCircuit.objects.create(key=key, failures=FAILURES_TO_OPEN)  # open window already over
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    assert invoice.status == S.AUTHORIZED and authorizations(sandbox, invoice.access_key) == 1
    assert AuthorizerCircuit.objects.get(key=key).failures == 0
