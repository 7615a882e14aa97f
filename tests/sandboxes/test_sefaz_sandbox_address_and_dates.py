"""The sandbox rejects what SEFAZ rejects in dhEmi, municipality codes and the recipient's CPF/CNPJ.

Documents come from the test kit (tests/sandboxes/conftest.py); a field is changed before signing.
"""

from datetime import datetime, timedelta

import pytest

from .conftest import BRT, NFE, N, build_nfe
from .test_sefaz_sandbox import authorize, control, cstat_of, motivo_of, signed

MOTIVOS = {
    "228": "Rejeição: Data de Emissão muito atrasada",
    "703": "Rejeição: Data-Hora de Emissão posterior ao horário de recebimento",
    "270": "Rejeição: Código Município do Fato Gerador: dígito inválido",
    "271": "Rejeição: Código Município do Fato Gerador: difere da UF do emitente",
    "272": "Rejeição: Código Município do Emitente: dígito inválido",
    "273": "Rejeição: Código Município do Emitente: difere da UF do emitente",
    "274": "Rejeição: Código Município do Destinatário: dígito inválido",
    "275": "Rejeição: Código Município do Destinatário: difere da UF do Destinatário",
    "509": 'Rejeição: Informado código de município diferente de "9999999" para operação com o exterior',
    "208": "Rejeição: CNPJ do destinatário inválido",
    "237": "Rejeição: CPF do destinatário inválido",
}


def changed(nfe, **fields):
    """Set fields under infNFe, the path spelled with double underscores (ide__cMunFG, dest__enderDest__UF)."""
    for path, value in fields.items():
        node = nfe[0].find("/".join(f"{{{NFE}}}{part}" for part in path.split("__")))
        assert node is not None, path
        node.text = value
    return nfe


def with_recipient_cnpj(nfe, cnpj):
    cpf = nfe[0].find(f"{{{NFE}}}dest/{{{NFE}}}CPF")
    cpf.addprevious(N.CNPJ(cnpj))
    cpf.getparent().remove(cpf)
    return nfe


def rejected_with(sandbox, company, nfe, cStat):
    reply = authorize(sandbox.url, signed(nfe, company))
    assert (cstat_of(reply), motivo_of(reply)) == (cStat, MOTIVOS[cStat])


def now():
    return datetime.now(BRT).replace(microsecond=0)


# --- dhEmi -----------------------------------------------------------------------------------------------

def test_dhemi_more_than_five_minutes_ahead_of_the_sandbox_clock_gets_703(sandbox, company):
    rejected_with(sandbox, company, build_nfe(nNF=1, dhEmi=now() + timedelta(minutes=6)), "703")


def test_dhemi_older_than_thirty_days_gets_228(sandbox, company):
    rejected_with(sandbox, company, build_nfe(nNF=1, dhEmi=now() - timedelta(days=30, minutes=1)), "228")


@pytest.mark.parametrize("offset", [timedelta(minutes=4), -timedelta(days=29, hours=23)],
                         ids=["4-min-ahead", "29-days-old"])
def test_dhemi_inside_the_window_is_authorized(sandbox, company, offset):
    dhEmi = now() + offset
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=1, dhEmi=dhEmi), company))) == "100"


def test_the_window_follows_the_sandbox_clock_not_the_wall_clock(sandbox, company):
    control(sandbox.url, "/_sandbox/clock", offset_seconds=31 * 86400)
    rejected_with(sandbox, company, build_nfe(nNF=1), "228")
    control(sandbox.url, "/_sandbox/clock", offset_seconds=-600)
    rejected_with(sandbox, company, build_nfe(nNF=2), "703")
    control(sandbox.url, "/_sandbox/clock", offset_seconds=0)
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=3), company))) == "100"


# --- municipality codes (IBGE) ---------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "cStat"), [
    ({"ide__cMunFG": "3550309"}, "270"),                    # São Paulo with a wrong check digit
    ({"ide__cMunFG": "3304557"}, "271"),                    # Rio de Janeiro, but cUF is 35 (SP)
    ({"emit__enderEmit__cMun": "3550300"}, "272"),
    ({"emit__enderEmit__cMun": "3304557"}, "273"),          # an RJ town in an SP address
    ({"dest__enderDest__cMun": "3304550"}, "274"),
    ({"dest__enderDest__cMun": "3304557"}, "275"),          # the kit's recipient is in SP
    ({"dest__enderDest__UF": "EX"}, "509"),                 # abroad, the code is 9999999
], ids=["270", "271", "272", "273", "274", "275", "509"])
def test_municipality_codes_are_checked_against_ibge_and_the_uf(sandbox, company, fields, cStat):
    rejected_with(sandbox, company, changed(build_nfe(nNF=1), **fields), cStat)


def test_a_well_formed_code_ibge_does_not_have_gets_digito_invalido(sandbox, company):
    # 3550316 passes the check digit (mod 10, weights 1-2) but no municipality has it
    rejected_with(sandbox, company, changed(build_nfe(nNF=1), dest__enderDest__cMun="3550316"), "274")


def test_official_codes_with_a_bad_check_digit_are_accepted_like_sefaz_exceptions(sandbox, company):
    # Coronel Barros (RS): 4305871 fails the IBGE check digit, SEFAZ lists it as an exception
    nfe = changed(build_nfe(nNF=1, interstate=True), dest__enderDest__cMun="4305871", dest__enderDest__UF="RS")
    assert cstat_of(authorize(sandbox.url, signed(nfe, company))) == "100"


def test_an_interstate_recipient_in_its_own_uf_is_authorized(sandbox, company):
    assert cstat_of(authorize(sandbox.url, signed(build_nfe(nNF=1, interstate=True), company))) == "100"


# --- recipient CPF / CNPJ --------------------------------------------------------------------------------

@pytest.mark.parametrize("cpf", ["11144477736", "00000000000"], ids=["check-digit", "zeros"])
def test_an_invalid_recipient_cpf_gets_237(sandbox, company, cpf):
    rejected_with(sandbox, company, changed(build_nfe(nNF=1), dest__CPF=cpf), "237")


@pytest.mark.parametrize("cnpj", ["12345678000196", "00000000000000"], ids=["check-digit", "zeros"])
def test_an_invalid_recipient_cnpj_gets_208(sandbox, company, cnpj):
    rejected_with(sandbox, company, with_recipient_cnpj(build_nfe(nNF=1), cnpj), "208")


def test_a_valid_recipient_cnpj_is_authorized(sandbox, company):
    nfe = with_recipient_cnpj(build_nfe(nNF=1), "11222333000181")
    assert cstat_of(authorize(sandbox.url, signed(nfe, company))) == "100"


# --- SEFAZ's order ---------------------------------------------------------------------------------------

def test_the_first_broken_rule_in_sefaz_order_is_the_one_reported(sandbox, company):
    everything_wrong = dict(ide__cMunFG="3304557", emit__enderEmit__cMun="3304557", dest__CPF="11144477736",
                            dest__xNome="FULANO", dest__enderDest__cMun="3304550")
    too_early = build_nfe(nNF=1, dhEmi=now() + timedelta(hours=1))
    rejected_with(sandbox, company, changed(too_early, **everything_wrong), "703")
    expected = ["271", "273", "237", "598", "274"]
    for n, cStat in enumerate(expected, start=2):
        reply = authorize(sandbox.url, signed(changed(build_nfe(nNF=n), **everything_wrong), company))
        assert cstat_of(reply) == cStat
        fixed = {"271": "ide__cMunFG", "273": "emit__enderEmit__cMun", "237": "dest__CPF",
                 "598": "dest__xNome", "274": "dest__enderDest__cMun"}[cStat]
        everything_wrong.pop(fixed)
