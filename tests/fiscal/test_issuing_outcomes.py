"""Every answer SEFAZ can give to an authorization, against the sandbox: one outcome each, exactly once."""

import hashlib

import pytest
from django.core import mail
from lxml import etree

from fiscal.issuing import advance_invoice, issue_invoice, resolve_unknown
from fiscal.models import InvoiceEvent, InvoiceSeries, InvoiceStatus as S
from tests.fiscal.sefaz_fixtures import *  # noqa: F401,F403 - fixtures
from tests.fiscal.sefaz_fixtures import authorizations, inject, prepare_with_kit, time_passes
from tests.sandboxes.conftest import item

NFE = "{http://www.portalfiscal.inf.br/nfe}"


def _c14n(element) -> bytes:
    return etree.tostring(etree.fromstring(etree.tostring(element)), method="c14n")


def test_an_authorized_nfe_stores_our_signed_xml_with_the_protocol_and_its_sha256(sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    assert invoice.status == S.AUTHORIZED and invoice.cstat == "100"
    proc = etree.fromstring(bytes(invoice.authorized_xml))
    assert proc.tag == f"{NFE}nfeProc"
    assert _c14n(proc.find(f"{NFE}NFe")) == _c14n(etree.fromstring(bytes(invoice.signed_xml)))
    assert proc.findtext(f"{NFE}protNFe/{NFE}infProt/{NFE}digVal") == invoice.digest_value
    assert proc.findtext(f"{NFE}protNFe/{NFE}infProt/{NFE}nProt") == invoice.protocol
    assert hashlib.sha256(bytes(invoice.authorized_xml)).hexdigest() == invoice.authorized_sha256


def test_each_sefaz_call_keeps_its_request_and_reply_in_the_history(sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    exchange = invoice.events.get(kind=InvoiceEvent.Kind.SEFAZ)
    assert "<enviNFe" in exchange.request and invoice.access_key in exchange.request
    assert "<retEnviNFe" in exchange.response and exchange.cstat == "100"
    assert list(invoice.events.filter(kind="transition").values_list("to_status", flat=True)) == ["sending", "authorized"]


def test_a_rejected_nfe_keeps_its_number_free_and_tells_the_seller_what_to_fix(sandbox, sandbox_client, make_invoice):
    invoice = issue_invoice(make_invoice(1, items=[item(1, NCM="61099999")]), client=sandbox_client)
    assert invoice.status == S.REJECTED and invoice.cstat == "778"
    assert invoice.error_message and invoice.error_category
    assert authorizations(sandbox, invoice.access_key) == 0
    assert InvoiceSeries.objects.get(seller=invoice.seller).next_number == 2  # nothing new was consumed


def test_a_timeout_after_sefaz_accepted_ends_with_exactly_one_authorization_adopted_by_lookup(
        sandbox, sandbox_client, make_invoice):
    inject(sandbox, "accept_then_hang")
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    assert invoice.status == S.UNKNOWN and invoice.next_attempt_at is not None
    assert resolve_unknown(invoice, client=sandbox_client).status == S.UNKNOWN  # not due yet: no hammering
    invoice = resolve_unknown(time_passes(invoice), client=sandbox_client)
    assert invoice.status == S.AUTHORIZED and invoice.authorized_xml
    assert authorizations(sandbox, invoice.access_key) == 1
    assert invoice.events.filter(kind="sefaz", request__contains="<enviNFe").count() == 1


@pytest.mark.parametrize("fault", ["html_500", "html_503", "soap_fault", "truncate"])
def test_an_unusable_reply_makes_the_outcome_unknown_until_a_lookup_settles_it(
        fault, sandbox, sandbox_client, make_invoice):
    inject(sandbox, fault)
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    assert invoice.status == S.UNKNOWN
    invoice = resolve_unknown(time_passes(invoice), client=sandbox_client)
    assert invoice.status == S.AUTHORIZED
    assert authorizations(sandbox, invoice.access_key) == 1


def test_a_key_sefaz_never_saw_is_sent_again_with_the_same_bytes(sandbox, sandbox_client, make_invoice):
    inject(sandbox, "html_500")  # SEFAZ's front end failed: nothing processed, lookup says 217
    invoice = resolve_unknown(time_passes(issue_invoice(make_invoice(1), client=sandbox_client)), client=sandbox_client)
    assert invoice.status == S.AUTHORIZED
    sends = [e.request for e in invoice.events.filter(kind="sefaz", request__contains="<enviNFe")]
    assert len(sends) == 2
    nfe = [etree.tostring(etree.fromstring(s.encode()).find(f".//{NFE}NFe"), method="c14n") for s in sends]
    assert nfe[0] == nfe[1]
    assert invoice.events.filter(cstat="217").exists()


def test_a_duplicate_204_is_settled_by_lookup_not_by_another_send(sandbox, sandbox_client, make_invoice):
    invoice = make_invoice(1)
    sandbox_client.authorize(bytes(invoice.signed_xml))  # an earlier send whose reply we lost
    invoice = issue_invoice(invoice, client=sandbox_client)
    assert invoice.status == S.UNKNOWN and invoice.cstat == "204"
    invoice = resolve_unknown(invoice, client=sandbox_client)
    assert invoice.status == S.AUTHORIZED and authorizations(sandbox, invoice.access_key) == 1


def test_539_freezes_the_series_alerts_staff_and_is_never_retried(
        sandbox, sandbox_client, make_invoice, company_identity, settings):
    settings.AGENCY_ALERT_EMAILS = ["plantao@agencia.example"]
    other = prepare_with_kit(company_identity, series=1, number=1, cnf=55555555)  # another system's NF-e 1
    sandbox_client.authorize(other.xml)
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    assert invoice.status == S.BLOCKED and invoice.cstat == "539"
    assert InvoiceSeries.objects.get(seller=invoice.seller).frozen_reason
    assert mail.outbox and mail.outbox[0].to == ["plantao@agencia.example"]
    calls = invoice.events.filter(kind="sefaz").count()
    assert advance_invoice(time_passes(invoice), client=sandbox_client).status == S.BLOCKED
    assert invoice.events.filter(kind="sefaz").count() == calls


@pytest.mark.parametrize("fault,cstat", [("paralysed", "108"), ("paralysed_no_return", "109")])
def test_a_paralysed_service_is_retried_later_and_the_seller_sees_sefaz_status(
        fault, cstat, sandbox, sandbox_client, make_invoice):
    inject(sandbox, fault)
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    assert invoice.status == S.SIGNED and invoice.cstat == cstat
    assert invoice.error_category == "sefaz" and invoice.xmotivo in invoice.error_message
    assert issue_invoice(invoice, client=sandbox_client).status == S.SIGNED  # not due: no call made
    assert invoice.events.filter(kind="sefaz").count() == 1
    assert issue_invoice(time_passes(invoice), client=sandbox_client).status == S.AUTHORIZED


def test_a_protocol_whose_digest_is_not_ours_blocks_the_invoice_and_alerts(
        sandbox, sandbox_client, make_invoice, company_identity, settings):
    settings.AGENCY_ALERT_EMAILS = ["plantao@agencia.example"]
    invoice = make_invoice(1)
    impostor = prepare_with_kit(company_identity, series=1, number=1, cnf=int(invoice.cnf),
                                items=[item(1, vProd="250.00")])  # same key, other content
    assert impostor.access_key == invoice.access_key
    sandbox_client.authorize(impostor.xml)
    inject(sandbox, "html_500")
    invoice = resolve_unknown(time_passes(issue_invoice(invoice, client=sandbox_client)), client=sandbox_client)
    assert invoice.status == S.BLOCKED and not invoice.authorized_xml
    assert mail.outbox


def test_656_on_lookup_pauses_for_an_hour(sandbox, sandbox_client, make_invoice):
    inject(sandbox, "html_500")
    invoice = issue_invoice(make_invoice(1), client=sandbox_client)
    inject(sandbox, "consumo_indevido", service="NFeConsultaProtocolo4")
    before = invoice.attempts
    invoice = resolve_unknown(time_passes(invoice), client=sandbox_client)
    assert invoice.status == S.UNKNOWN and invoice.attempts == before + 1
    assert (invoice.next_attempt_at - invoice.updated_at).total_seconds() > 3000


def test_a_denied_nfe_consumes_its_number_and_tells_the_seller(make_invoice):
    """The sandbox has no denial rule (110/301/302 need SEFAZ's registry): a reply in the real layout."""
    from fiscal.issuing import record_reply
    from fiscal.sefaz.replies import AuthorizationReply, Exchange, protocol_from
    from fiscal.transitions import transition

    invoice = transition(make_invoice(1), S.SENDING)
    prot = etree.fromstring(
        f'<protNFe xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"><infProt><tpAmb>2</tpAmb>'
        f'<verAplic>SVRS202611</verAplic><chNFe>{invoice.access_key}</chNFe><dhRecbto>2026-11-27T10:00:00-03:00'
        f'</dhRecbto><nProt>135260000000009</nProt><digVal>{invoice.digest_value}</digVal><cStat>302</cStat>'
        f'<xMotivo>Uso Denegado: Irregularidade fiscal do destinatario</xMotivo></infProt></protNFe>'.encode())
    reply = AuthorizationReply("104", "Lote processado", "", protocol_from(prot), Exchange(b"<req/>", b"<resp/>"))
    invoice = record_reply(invoice, reply)
    assert invoice.status == S.DENIED and invoice.cstat == "302" and invoice.protocol == "135260000000009"
    assert "302" in invoice.error_message and not invoice.authorized_xml
