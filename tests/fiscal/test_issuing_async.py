"""The asynchronous authorization path: 103 with a receipt, 105 while SEFAZ processes, then the protocol."""

import json
import time

import requests

from fiscal.issuing import advance_invoice, issue_invoice
from fiscal.models import InvoiceStatus as S
from fiscal.sefaz.client import SefazClient
from tests.fiscal.sefaz_fixtures import *  # noqa: F401,F403 - fixtures
from tests.fiscal.sefaz_fixtures import authorizations, time_passes


class AsyncClient(SefazClient):
    """The same client, sending lots with indSinc=0 as authorizers without the synchronous mode require."""

    def authorize(self, signed_nfe_xml: bytes, *, sync: bool = False):
        return super().authorize(signed_nfe_xml, sync=False)


def _async(client: SefazClient) -> AsyncClient:
    clone = AsyncClient.__new__(AsyncClient)
    clone.__dict__.update(client.__dict__)
    return clone


def test_an_asynchronous_lot_is_followed_by_its_receipt_until_the_protocol_arrives(sandbox, sandbox_client, make_invoice):
    requests.post(sandbox.url + "/_sandbox/settings", data=json.dumps({"receipt_delay": 1}), timeout=5)
    client = _async(sandbox_client)
    invoice = issue_invoice(make_invoice(1), client=client)
    assert invoice.status == S.PROCESSING and invoice.receipt
    invoice = advance_invoice(time_passes(invoice), client=client)  # too early: 105, still processing
    assert invoice.status == S.PROCESSING
    time.sleep(1.1)
    invoice = advance_invoice(time_passes(invoice), client=client)
    assert invoice.status == S.AUTHORIZED and invoice.cstat == "100"
    assert authorizations(sandbox, invoice.access_key) == 1
    assert list(invoice.events.filter(kind="transition").values_list("to_status", flat=True))[-1] == "authorized"
