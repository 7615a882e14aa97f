"""The SEFAZ sandbox answers like SVRS homologação: codes, texts, reply layouts, faults, persistence."""

import json
import socket
from datetime import datetime, timedelta

import pytest
import requests
from lxml import etree

from sandboxes.sefaz import schemas
from sandboxes.sefaz.server import start_sandbox

from .conftest import (
    CNPJ, BRT, DS, NFE, N, build_nfe, item, key_of, make_identity, post, result, sign,
)

NS = {"n": NFE}


def lot(*nfes, sync=True):
    return N.enviNFe(N.idLote("1"), N.indSinc("1" if sync else "0"), *nfes, versao="4.00")


def signed(nfe, identity):
    sign(nfe[0], identity)
    return nfe


def authorize(url, nfe, **kwargs):
    reply = result(post(url, "NFeAutorizacao4", lot(nfe), **kwargs))
    assert not schemas.errors("retEnviNFe", reply)
    return reply


def cstat_of(reply):
    prot = reply.find("n:protNFe/n:infProt", NS)
    return (prot if prot is not None else reply).findtext("n:cStat", namespaces=NS)


def motivo_of(reply):
    prot = reply.find("n:protNFe/n:infProt", NS)
    return (prot if prot is not None else reply).findtext("n:xMotivo", namespaces=NS)


def lookup(url, key):
    reply = result(post(url, "NFeConsultaProtocolo4", N.consSitNFe(N.tpAmb("2"), N.xServ("CONSULTAR"), N.chNFe(key), versao="4.00")))
    assert not schemas.errors("retConsSitNFe", reply)
    return reply


def control(url, path, **data):
    response = requests.post(url + path, data=json.dumps(data), timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


# --- authorization -------------------------------------------------------------------------------------

def test_a_correct_nfe_is_authorized_with_a_protocol_that_matches_the_reply_schema(sandbox, company):
    nfe = signed(build_nfe(nNF=1), company)
    reply = authorize(sandbox.url, nfe)
    prot = reply.find("n:protNFe/n:infProt", NS)
    assert reply.findtext("n:cStat", namespaces=NS) == "104"
    assert prot.findtext("n:cStat", namespaces=NS) == "100"
    assert prot.findtext("n:xMotivo", namespaces=NS) == "Autorizado o uso da NF-e"
    assert prot.findtext("n:chNFe", namespaces=NS) == key_of(nfe)
    assert len(prot.findtext("n:nProt", namespaces=NS)) == 15
    assert prot.findtext("n:digVal", namespaces=NS) == nfe.findtext(f".//{{{DS}}}DigestValue")


def test_an_interstate_sale_to_a_consumer_with_the_difal_group_is_authorized(sandbox, company):
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=2, interstate=True), company))) == "100"


def test_resending_the_same_key_gives_204_with_the_original_protocol(sandbox, company):
    first = authorize(sandbox.url, signed(build_nfe(nNF=3), company))
    again = authorize(sandbox.url, signed(build_nfe(nNF=3), company))
    nProt = first.findtext("n:protNFe/n:infProt/n:nProt", namespaces=NS)
    assert cstat_of(again) == "204"
    assert "Duplicidade de NF-e" in motivo_of(again) and nProt in motivo_of(again)


def test_the_same_number_with_another_key_gives_539_naming_the_other_key(sandbox, company):
    original = signed(build_nfe(nNF=4, cNF=11111111), company)
    authorize(sandbox.url, original)
    reply = authorize(sandbox.url, signed(build_nfe(nNF=4, cNF=22222222), company))
    assert cstat_of(reply) == "539"
    assert f"[chNFe: {key_of(original)}]" in motivo_of(reply)


def test_a_lot_that_breaks_the_schema_gives_225(sandbox, company):
    nfe = signed(build_nfe(nNF=5), company)
    nfe.find(".//n:ide/n:natOp", NS).text = ""
    assert cstat_of(authorize(sandbox.url, nfe)) == "225"


def test_pretty_printed_xml_gives_588_and_a_prefixed_namespace_gives_404(sandbox, company):
    nfe = signed(build_nfe(nNF=6), company)
    pretty = etree.fromstring(etree.tostring(lot(nfe), pretty_print=True))
    assert cstat_of(authorize(sandbox.url, pretty)) == "588"
    prefixed = etree.fromstring(etree.tostring(lot(signed(build_nfe(nNF=7), company))).replace(
        b'<enviNFe xmlns="http://www.portalfiscal.inf.br/nfe"', b'<nfe:enviNFe xmlns:nfe="http://www.portalfiscal.inf.br/nfe" xmlns="http://www.portalfiscal.inf.br/nfe"').replace(
        b"</enviNFe>", b"</nfe:enviNFe>"))
    assert cstat_of(result(post(sandbox.url, "NFeAutorizacao4", prefixed))) == "404"


def test_production_environment_is_refused_with_252(sandbox, company):
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=8, tpAmb="1"), company))) == "252"


def test_a_content_change_after_signing_gives_297(sandbox, company):
    nfe = signed(build_nfe(nNF=9), company)
    nfe.find(".//n:emit/n:xNome", NS).text = "OUTRO NOME LTDA"
    assert cstat_of(authorize(sandbox.url, nfe)) == "297"


def test_a_signature_algorithm_the_schema_forbids_gives_225(sandbox, company):
    # the XSD pins the algorithms, so SEFAZ stops at the schema before looking at the signature
    nfe = signed(build_nfe(nNF=10), company)
    nfe.find(f".//{{{DS}}}SignatureMethod").set("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    assert cstat_of(authorize(sandbox.url, nfe)) == "225"


def test_a_signature_that_references_another_element_gives_298(sandbox, company):
    nfe = signed(build_nfe(nNF=10), company)
    nfe.find(f".//{{{DS}}}Reference").set("URI", "#NFe00000000000000000000000000000000000000000000")
    assert cstat_of(authorize(sandbox.url, nfe)) == "298"


def test_an_expired_signing_certificate_gives_291(sandbox):
    expired = make_identity(f"EMPRESA TESTE LTDA:{CNPJ}", days=(-400, -1))
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=11), expired))) == "291"


def test_a_signing_certificate_of_another_company_gives_213(sandbox):
    other = make_identity("OUTRA EMPRESA LTDA:98765432000198")
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=12), other))) == "213"


def test_a_wrong_check_digit_gives_236_and_a_key_that_disagrees_with_the_fields_gives_502(sandbox, company):
    good = key_of(build_nfe(nNF=13))
    wrong_digit = good[:43] + str((int(good[43]) + 1) % 10)
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=13, key_override=wrong_digit), company))) == "236"
    other_number = key_of(build_nfe(nNF=99))
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=13, key_override=other_number), company))) == "502"


def test_a_recipient_name_other_than_the_homologacao_literal_gives_598(sandbox, company):
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=14, xNome="JOSE DA SILVA"), company))) == "598"


@pytest.mark.parametrize(("field", "cStat"), [("vProd", "564"), ("vICMS", "532"), ("vBC", "531"), ("vNF", "610")])
def test_totals_that_differ_from_the_items_are_rejected(sandbox, company, field, cStat):
    nfe = build_nfe(nNF=15)
    total = nfe.find(f".//n:ICMSTot/n:{field}", NS)
    total.text = f"{float(total.text) + 1:.2f}"
    assert cstat_of(authorize(sandbox.url, signed(nfe, company))) == cStat


def test_a_freight_total_that_differs_from_the_items_gives_535(sandbox, company):
    nfe = build_nfe(nNF=16, items=[item(1, vFrete="10.00")])
    nfe.find(".//n:ICMSTot/n:vFrete", NS).text = "0.00"
    nfe.find(".//n:ICMSTot/n:vNF", NS).text = "100.00"
    assert cstat_of(authorize(sandbox.url, signed(nfe, company))) == "535"


def test_an_ncm_missing_from_the_official_table_gives_778_and_an_unknown_chapter_793(sandbox, company):
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=17, items=[item(1, NCM="61099999")]), company))) == "778"
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=18, items=[item(1, NCM="77000000")]), company))) == "793"


def test_a_tax_substitution_item_without_cest_gives_806(sandbox, company):
    nfe = build_nfe(nNF=19, items=[item(1, icms="60")])
    assert cstat_of(authorize(sandbox.url, signed(nfe, company))) == "806"
    with_cest = build_nfe(nNF=20, items=[item(1, icms="60", CEST="2806300")])
    assert cstat_of(authorize(sandbox.url, signed(with_cest, company))) == "100"


def test_an_interstate_taxed_sale_to_a_consumer_without_the_difal_group_gives_694(sandbox, company):
    nfe = build_nfe(nNF=21, interstate=True, items=[item(1, difal=False)])
    for tag in ("vFCPUFDest", "vICMSUFDest", "vICMSUFRemet"):
        nfe.find(f".//n:ICMSTot/n:{tag}", NS).text = "0.00"
    reply = authorize(sandbox.url, signed(nfe, company))
    assert cstat_of(reply) == "694" and "[nItem:1]" in motivo_of(reply)


def test_an_interstate_sale_to_a_non_contributor_not_marked_final_consumer_gives_696(sandbox, company):
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=22, interstate=True, indFinal="0"), company))) == "696"


def test_the_async_path_gives_103_with_a_receipt_then_104_with_the_protocol(sandbox, company):
    nfe = signed(build_nfe(nNF=23), company)
    sent = result(post(sandbox.url, "NFeAutorizacao4", lot(nfe, sync=False)))
    assert not schemas.errors("retEnviNFe", sent) and sent.findtext("n:cStat", namespaces=NS) == "103"
    nRec = sent.findtext("n:infRec/n:nRec", namespaces=NS)
    reply = result(post(sandbox.url, "NFeRetAutorizacao4", N.consReciNFe(N.tpAmb("2"), N.nRec(nRec), versao="4.00")))
    assert not schemas.errors("retConsReciNFe", reply)
    assert reply.findtext("n:cStat", namespaces=NS) == "104" and cstat_of(reply) == "100"


def test_an_async_lot_still_processing_gives_105_and_an_unknown_receipt_106(sandbox, company):
    control(sandbox.url, "/_sandbox/settings", receipt_delay=60)
    sent = result(post(sandbox.url, "NFeAutorizacao4", lot(signed(build_nfe(nNF=24), company), sync=False)))
    nRec = sent.findtext("n:infRec/n:nRec", namespaces=NS)
    ask = lambda n: result(post(sandbox.url, "NFeRetAutorizacao4", N.consReciNFe(N.tpAmb("2"), N.nRec(n), versao="4.00")))
    assert ask(nRec).findtext("n:cStat", namespaces=NS) == "105"
    assert ask("359999999999999").findtext("n:cStat", namespaces=NS) == "106"


# --- lookups and status --------------------------------------------------------------------------------

def test_an_unknown_key_is_not_found_with_217(sandbox):
    assert cstat_of(lookup(sandbox.url, key_of(build_nfe(nNF=777)))) == "217"


def test_a_lookup_returns_100_and_the_protocol_of_an_authorized_nfe(sandbox, company):
    nfe = signed(build_nfe(nNF=25), company)
    authorize(sandbox.url, nfe)
    reply = lookup(sandbox.url, key_of(nfe))
    assert reply.findtext("n:cStat", namespaces=NS) == "100"
    assert reply.findtext("n:protNFe/n:infProt/n:digVal", namespaces=NS) == nfe.findtext(f".//{{{DS}}}DigestValue")


def test_the_service_status_is_107(sandbox):
    reply = result(post(sandbox.url, "NFeStatusServico4", N.consStatServ(N.tpAmb("2"), N.cUF("35"), N.xServ("STATUS"), versao="4.00")))
    assert not schemas.errors("retConsStatServ", reply)
    assert reply.findtext("n:cStat", namespaces=NS) == "107"


def test_too_many_identical_lookups_in_a_minute_give_656(sandbox):
    control(sandbox.url, "/_sandbox/settings", lookup_limit=3)
    key = key_of(build_nfe(nNF=778))
    codes = [cstat_of(lookup(sandbox.url, key)) for _ in range(4)]
    assert codes == ["217", "217", "217", "656"]


# --- events and voiding --------------------------------------------------------------------------------

def event(key, kind, seq, identity, detail):
    when = datetime.now(BRT).replace(microsecond=0).isoformat()
    inf = N.infEvento(N.cOrgao("35"), N.tpAmb("2"), N.CNPJ(CNPJ), N.chNFe(key), N.dhEvento(when), N.tpEvento(kind),
                      N.nSeqEvento(str(seq)), N.verEvento("1.00"), detail, Id=f"ID{kind}{key}{seq:02d}")
    evento = N.evento(inf, versao="1.00")
    sign(inf, identity)
    return N.envEvento(N.idLote("1"), evento, versao="1.00")


def cancel(url, key, nProt, identity):
    detail = N.detEvento(N.descEvento("Cancelamento"), N.nProt(nProt), N.xJust("Pedido cancelado pelo comprador"), versao="1.00")
    reply = result(post(url, "NFeRecepcaoEvento4", event(key, "110111", 1, identity, detail)))
    assert not schemas.errors("retEnvEvento", reply)
    return reply.findtext("n:retEvento/n:infEvento/n:cStat", namespaces=NS)


def test_a_cancellation_is_registered_with_135_and_the_lookup_then_says_101(sandbox, company):
    nfe = signed(build_nfe(nNF=26), company)
    nProt = authorize(sandbox.url, nfe).findtext("n:protNFe/n:infProt/n:nProt", namespaces=NS)
    assert cancel(sandbox.url, key_of(nfe), nProt, company) == "135"
    reply = lookup(sandbox.url, key_of(nfe))
    assert reply.findtext("n:cStat", namespaces=NS) == "101"
    assert reply.find("n:procEventoNFe", NS) is not None
    assert cancel(sandbox.url, key_of(nfe), nProt, company) == "573"


def test_a_cancellation_with_another_protocol_gives_222_and_after_24_hours_501(sandbox, company):
    nfe = signed(build_nfe(nNF=27), company)
    nProt = authorize(sandbox.url, nfe).findtext("n:protNFe/n:infProt/n:nProt", namespaces=NS)
    assert cancel(sandbox.url, key_of(nfe), "135260000099999", company) == "222"
    control(sandbox.url, "/_sandbox/clock", offset_seconds=25 * 3600)
    assert cancel(sandbox.url, key_of(nfe), nProt, company) == "501"


def test_a_correction_letter_is_registered_with_135(sandbox, company):
    nfe = signed(build_nfe(nNF=28), company)
    authorize(sandbox.url, nfe)
    detail = N.detEvento(
        N.descEvento("Carta de Correcao"), N.xCorrecao("Corrige o complemento do endereco do destinatario"),
        N.xCondUso(
            "A Carta de Correcao e disciplinada pelo paragrafo 1o-A do art. 7o do Convenio S/N, de 15 de dezembro de 1970 "
            "e pode ser utilizada para regularizacao de erro ocorrido na emissao de documento fiscal, desde que o erro nao "
            "esteja relacionado com: I - as variaveis que determinam o valor do imposto tais como: base de calculo, "
            "aliquota, diferenca de preco, quantidade, valor da operacao ou da prestacao; II - a correcao de dados "
            "cadastrais que implique mudanca do remetente ou do destinatario; III - a data de emissao ou de saida."),
        versao="1.00")
    reply = result(post(sandbox.url, "NFeRecepcaoEvento4", event(key_of(nfe), "110110", 1, company, detail)))
    assert not schemas.errors("retEnvEvento", reply)
    assert reply.findtext("n:retEvento/n:infEvento/n:cStat", namespaces=NS) == "135"


def void(url, first, last, identity):
    year = datetime.now(BRT).strftime("%y")
    inf = N.infInut(N.tpAmb("2"), N.xServ("INUTILIZAR"), N.cUF("35"), N.ano(year), N.CNPJ(CNPJ), N.mod("55"),
                    N.serie("1"), N.nNFIni(str(first)), N.nNFFin(str(last)), N.xJust("Falha no sistema emissor"),
                    Id=f"ID35{year}{CNPJ}55001{first:09d}{last:09d}")
    payload = N.inutNFe(inf, versao="4.00")
    sign(inf, identity)
    reply = result(post(url, "NFeInutilizacao4", payload))
    assert not schemas.errors("retInutNFe", reply)
    return reply.findtext("n:infInut/n:cStat", namespaces=NS)


def test_voiding_a_range_gives_102_then_563_when_repeated_and_241_over_a_used_number(sandbox, company):
    authorize(sandbox.url, signed(build_nfe(nNF=40), company))
    assert void(sandbox.url, 30, 35, company) == "102"
    assert void(sandbox.url, 30, 35, company) == "563"
    assert void(sandbox.url, 33, 36, company) == "256"
    assert void(sandbox.url, 38, 41, company) == "241"


# --- mutual TLS ---------------------------------------------------------------------------------------

def test_over_tls_a_client_certificate_of_another_company_gives_213(tls_sandbox, pki, company):
    nfe = signed(build_nfe(nNF=50), company)
    reply = authorize(tls_sandbox.url, nfe, cert=pki["other"], verify=pki["ca"])
    assert cstat_of(reply) == "213"
    reply = authorize(tls_sandbox.url, nfe, cert=pki["own"], verify=pki["ca"])
    assert cstat_of(reply) == "100"


def test_over_tls_a_client_without_certificate_is_refused_at_the_handshake(tls_sandbox, pki):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(tls_sandbox.url + "/_sandbox/ledger", verify=pki["ca"], timeout=5)


# --- faults -----------------------------------------------------------------------------------------------

def test_a_delay_fault_makes_the_client_time_out(sandbox):
    control(sandbox.url, "/_sandbox/faults", mode="delay", seconds=1.5, service="NFeStatusServico4")
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(sandbox.url, "NFeStatusServico4", N.consStatServ(N.tpAmb("2"), N.cUF("35"), N.xServ("STATUS"), versao="4.00"), timeout=0.5)


def test_accept_then_hang_records_the_authorization_but_never_answers(sandbox, company):
    control(sandbox.url, "/_sandbox/faults", mode="accept_then_hang", service="NFeAutorizacao4")
    nfe = signed(build_nfe(nNF=60), company)
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(sandbox.url, "NFeAutorizacao4", lot(nfe), timeout=1)
    assert cstat_of(lookup(sandbox.url, key_of(nfe))) == "100"
    assert cstat_of(authorize(sandbox.url, nfe)) == "204"


def test_html_500_fault_answers_an_iis_error_page(sandbox):
    control(sandbox.url, "/_sandbox/faults", mode="html_500")
    response = post(sandbox.url, "NFeStatusServico4", N.consStatServ(N.tpAmb("2"), N.cUF("35"), N.xServ("STATUS"), versao="4.00"))
    assert response.status_code == 500 and response.headers["Content-Type"].startswith("text/html")
    assert "Server Error" in response.text


def test_truncate_fault_gives_xml_that_lxml_refuses(sandbox):
    control(sandbox.url, "/_sandbox/faults", mode="truncate")
    response = post(sandbox.url, "NFeStatusServico4", N.consStatServ(N.tpAmb("2"), N.cUF("35"), N.xServ("STATUS"), versao="4.00"))
    assert response.status_code == 200
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)


def test_soap_fault_mode_answers_a_soap_12_fault(sandbox):
    control(sandbox.url, "/_sandbox/faults", mode="soap_fault")
    response = post(sandbox.url, "NFeStatusServico4", N.consStatServ(N.tpAmb("2"), N.cUF("35"), N.xServ("STATUS"), versao="4.00"))
    assert response.status_code == 500
    assert etree.fromstring(response.content).find(".//{http://www.w3.org/2003/05/soap-envelope}Fault") is not None


@pytest.mark.parametrize(("mode", "cStat"), [("paralysed", "108"), ("paralysed_no_return", "109"), ("consumo_indevido", "656")])
def test_cstat_faults_answer_valid_replies_for_the_next_calls_only(sandbox, company, mode, cStat):
    control(sandbox.url, "/_sandbox/faults", mode=mode, count=2)
    status = N.consStatServ(N.tpAmb("2"), N.cUF("35"), N.xServ("STATUS"), versao="4.00")
    assert result(post(sandbox.url, "NFeStatusServico4", status)).findtext("n:cStat", namespaces=NS) == cStat
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=70), company))) == cStat
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=70), company))) == "100"


# --- protocol surface and persistence -----------------------------------------------------------------

def test_paths_are_matched_case_insensitively_and_serve_a_wsdl(sandbox):
    response = requests.get(sandbox.url + "/ws/nfestatusservico/NFESTATUSSERVICO4.asmx?wsdl", timeout=5)
    assert response.status_code == 200 and b"NFeStatusServico4" in response.content
    etree.fromstring(response.content)


def test_a_soap_11_content_type_is_refused_with_415(sandbox):
    response = requests.post(sandbox.url + "/ws/NfeStatusServico/NfeStatusServico4.asmx", data=b"<x/>",
                             headers={"Content-Type": "text/xml"}, timeout=5)
    assert response.status_code == 415


def test_a_doctype_in_the_envelope_is_refused_with_a_soap_fault(sandbox):
    body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    response = requests.post(sandbox.url + "/ws/NfeStatusServico/NfeStatusServico4.asmx", data=body,
                             headers={"Content-Type": "application/soap+xml"}, timeout=5)
    assert response.status_code == 500 and b"root:" not in response.content


def test_authorizations_survive_a_restart_on_the_same_sqlite_file(tmp_path, company):
    db = str(tmp_path / "persist.sqlite3")
    first = start_sandbox(db)
    nfe = signed(build_nfe(nNF=80), company)
    try:
        assert cstat_of(authorize(first.url, nfe)) == "100"
    finally:
        first.stop()
    second = start_sandbox(db)
    try:
        assert cstat_of(authorize(second.url, nfe)) == "204"
        ledger = requests.get(second.url + "/_sandbox/ledger", timeout=5).json()
        assert [a["chNFe"] for a in ledger["authorizations"]] == [key_of(nfe)]
    finally:
        second.stop()


def test_reset_forgets_everything(sandbox, company):
    nfe = signed(build_nfe(nNF=81), company)
    authorize(sandbox.url, nfe)
    control(sandbox.url, "/_sandbox/reset")
    assert cstat_of(lookup(sandbox.url, key_of(nfe))) == "217"
