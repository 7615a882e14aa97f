"""The reply parser refuses what a hostile or broken server could send."""

import pytest

from fiscal.sefaz import authorizers
from fiscal.sefaz.xml import MAX_BYTES, UnsafeXml, parse

REPLY = b'<?xml version="1.0"?><retConsStatServ xmlns="http://www.portalfiscal.inf.br/nfe"><cStat>107</cStat></retConsStatServ>'


def test_a_well_formed_reply_is_read():
    assert parse(REPLY).findtext("{http://www.portalfiscal.inf.br/nfe}cStat") == "107"


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
    b'<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><r>&b;</r>',
    b'<?xml version="1.0"?><!DOCTYPE html><html><body>Runtime Error</body></html>',
    REPLY[: len(REPLY) // 2],  # truncated mid-tag: never "recovered" into a cStat
    b"<html><body>502 Bad Gateway",
    b"",
])
def test_hostile_or_broken_xml_is_refused(data):
    with pytest.raises(UnsafeXml):
        parse(data)


def test_a_reply_over_the_size_cap_is_refused_before_parsing():
    with pytest.raises(UnsafeXml, match="cap"):
        parse(b"<r>" + b"a" * MAX_BYTES + b"</r>")


def test_every_uf_has_an_authorizer_with_all_six_services_in_both_environments(settings):
    settings.SEFAZ_BASE_URL_OVERRIDE = ""
    ufs = authorizers.all_ufs()
    assert len(ufs) == 27
    for uf in ufs:
        for environment in (1, 2):
            for operation in authorizers.OPERATIONS:
                assert authorizers.service_url(uf, environment, operation).startswith("https://")


def test_known_authorizers_match_the_research_table(settings):
    settings.SEFAZ_BASE_URL_OVERRIDE = ""
    assert authorizers.authorizer_for("CE") == "SVRS" and authorizers.authorizer_for("MA") == "SVAN"
    assert authorizers.authorizer_for("SP") == "SP" and authorizers.authorizer_for("PR", contingency=True) == "SVCRS"
    assert authorizers.service_url("RJ", 2, "NFeAutorizacao4") == (
        "https://nfe-homologacao.svrs.rs.gov.br/ws/NfeAutorizacao/NFeAutorizacao4.asmx")


def test_the_override_keeps_svrs_paths_on_the_sandbox_host(settings):
    settings.SEFAZ_BASE_URL_OVERRIDE = "http://127.0.0.1:8702/"
    assert authorizers.service_url("MG", 2, "NFeConsultaProtocolo4") == (
        "http://127.0.0.1:8702/ws/NfeConsulta/NfeConsulta4.asmx")
