"""Cancellation (110111) within 24 hours and the correction letter (110110), against the sandbox."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from fiscal.cancellation import EventRefused, cancel_invoice, send_correction_letter
from fiscal.issuing import issue_invoice
from fiscal.models import Invoice, InvoiceStatus as S
from tests.fiscal.sefaz_fixtures import *  # noqa: F401,F403 - fixtures
from tests.fiscal.sefaz_fixtures import ledger


def test_an_authorized_nfe_is_cancelled_and_the_event_proc_is_kept(sandbox, sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    invoice = cancel_invoice(invoice, "Envio cancelado pela Amazon antes da entrega", client=sandbox_client)
    assert invoice.status == S.CANCELLED and invoice.cancelled_at
    assert [e["tpEvento"] for e in ledger(sandbox)["events"]] == ["110111"]
    proc = invoice.events.get(message__startswith="procEventoNFe").response
    assert "<procEventoNFe" in proc and "<retEvento" in proc and "<Signature" in proc
    assert sandbox_client.lookup(invoice.access_key).cstat == "101"


def test_cancelling_after_24_hours_is_refused_before_calling_sefaz(sandbox, sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    Invoice.objects.filter(pk=invoice.pk).update(authorized_at=timezone.now() - timedelta(hours=25))
    invoice.refresh_from_db()
    with translation.override("en"), pytest.raises(EventRefused, match="24-hour"):
        cancel_invoice(invoice, "Envio cancelado pela Amazon antes da entrega", client=sandbox_client)
    assert ledger(sandbox)["events"] == []


def test_correction_letters_take_the_next_sequence_number(sandbox, sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    first = send_correction_letter(invoice, "Complemento do endereco: bloco B", client=sandbox_client)
    second = send_correction_letter(invoice, "Complemento do endereco: bloco C", client=sandbox_client)
    assert (first.event_cstat, second.event_cstat) == ("135", "135")
    assert sorted(e["nSeqEvento"] for e in ledger(sandbox)["events"]) == [1, 2]
    assert invoice.status == S.AUTHORIZED


def test_a_correction_letter_for_an_unauthorized_nfe_is_refused(make_invoice):
    with pytest.raises(EventRefused):
        send_correction_letter(make_invoice(1), "Complemento do endereco: bloco B")
