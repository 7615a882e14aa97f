import pytest

from orders.address import NO_NUMBER, parse_address_line, parse_amazon_address, state_code


@pytest.mark.parametrize("line, expected", [
    ("Rua X, 123 - Apto 4", ("Rua X", "123", "Apto 4")),
    ("Av. Y 1000 Bloco B", ("Av. Y", "1000", "Bloco B")),
    ("Rua Z, S/N", ("Rua Z", NO_NUMBER, "")),
    ("Rua Z, s/nº", ("Rua Z", NO_NUMBER, "")),
    ("Rua Sem Saída sn", ("Rua Sem Saída", NO_NUMBER, "")),
    ("Estrada Velha sem número, sítio 3", ("Estrada Velha", NO_NUMBER, "sítio 3")),
    ("Rua W nº 45, casa 2", ("Rua W", "45", "casa 2")),
    ("Rua João Pessoa, nº. 90", ("Rua João Pessoa", "90", "")),
    ("Rua 25 de Março, 100", ("Rua 25 de Março", "100", "")),
    ("Av. 7 de Setembro 200", ("Av. 7 de Setembro", "200", "")),
    ("Avenida Brasil, 1500, Sala 3", ("Avenida Brasil", "1500", "Sala 3")),
    ("R. Augusta, 2690 ap 12", ("R. Augusta", "2690", "ap 12")),
    ("Travessa 3, 12A", ("Travessa 3", "12A", "")),
    ("Rua Dr. Arnaldo 455 - fundos", ("Rua Dr. Arnaldo", "455", "fundos")),
    ("Alameda Santos,  45  ", ("Alameda Santos", "45", "")),
])
def test_address_line_is_split_into_street_number_and_complement(line, expected):
    assert parse_address_line(line) == expected


@pytest.mark.parametrize("line", ["Rua das Flores", "Rua 2", "Estrada do Campo Limpo, km 10", "Rua Sinimbu"])
def test_a_line_without_a_house_number_never_gets_one_invented(line):
    assert parse_address_line(line)[1] == ""


def test_v0_address_with_district_field_resolves_the_ibge_code(reference_data):
    parsed = parse_amazon_address({
        "AddressLine1": "Rua das Flores, 123", "AddressLine2": "Apto 45", "District": "Centro",
        "City": "SAO PAULO", "StateOrRegion": "SP", "PostalCode": "01001-000", "CountryCode": "BR",
    })
    assert (parsed.street, parsed.number, parsed.complement, parsed.district) == ("Rua das Flores", "123", "Apto 45", "Centro")
    assert (parsed.city_code, parsed.uf, parsed.cep, parsed.problems) == ("3550308", "SP", "01001000", [])


def test_2026_camel_case_address_with_full_state_name(reference_data):
    parsed = parse_amazon_address({"deliveryAddress": {
        "addressLine1": "Av. Sete de Setembro 1500 Bloco B", "addressLine2": "Barra",
        "city": "Salvador", "stateOrRegion": "Bahia", "postalCode": "40060001",
    }})
    assert (parsed.street, parsed.number, parsed.complement, parsed.district) == ("Av. Sete de Setembro", "1500", "Bloco B", "Barra")
    assert (parsed.uf, parsed.city_code, parsed.problems) == ("BA", "2927408", [])


@pytest.mark.parametrize("extended_key, fields", [
    ("ExtendedFields", {"StreetName": "Rua Padre Chagas", "StreetNumber": "79", "Complement": "Loja 2", "Neighborhood": "Moinhos de Vento"}),
    ("extendedFields", {"streetName": "Rua Padre Chagas", "streetNumber": "79", "complement": "Loja 2", "neighborhood": "Moinhos de Vento"}),
])
def test_brazilian_extended_fields_win_over_the_free_lines(reference_data, extended_key, fields):
    parsed = parse_amazon_address({
        "AddressLine1": "R Padre Chagas 79 lj 2 Moinhos", "City": "Porto Alegre", "StateOrRegion": "RS",
        "PostalCode": "90570-080", extended_key: fields,
    })
    assert (parsed.street, parsed.number, parsed.complement, parsed.district) == (
        "Rua Padre Chagas", "79", "Loja 2", "Moinhos de Vento")
    assert parsed.city_code == "4314902" and parsed.problems == []


def test_extended_number_written_as_sn_becomes_s_n(reference_data):
    parsed = parse_amazon_address({"AddressLine1": "Rua A", "City": "Manaus", "StateOrRegion": "AM",
                                   "PostalCode": "69005-000", "ExtendedFields": {"StreetNumber": "sn", "Neighborhood": "Centro"}})
    assert parsed.number == NO_NUMBER and parsed.problems == []


def test_number_on_the_second_line_is_taken_from_there(reference_data):
    parsed = parse_amazon_address({"AddressLine1": "Rua Sinimbu", "AddressLine2": "1020, casa 3", "AddressLine3": "Lourdes",
                                   "City": "Caxias do Sul", "StateOrRegion": "RS", "PostalCode": "95020-000"})
    assert (parsed.number, parsed.complement, parsed.district) == ("1020", "casa 3", "Lourdes")


def test_address_without_number_or_district_is_reported_not_invented(reference_data):
    parsed = parse_amazon_address({"AddressLine1": "Rua das Palmeiras", "City": "Curitiba", "StateOrRegion": "PR",
                                   "PostalCode": "80010-000"})
    assert parsed.number == ""
    assert parsed.problems == ["number_missing", "district_missing"]


def test_cep_outside_the_state_and_unknown_city_are_reported(reference_data):
    parsed = parse_amazon_address({"AddressLine1": "Rua A, 1", "District": "Centro", "City": "Gotham",
                                   "StateOrRegion": "RJ", "PostalCode": "01001-000"})
    assert set(parsed.problems) == {"city_unknown", "cep_uf_mismatch"}


def test_city_with_accents_typed_without_them_and_abbreviations(reference_data):
    parsed = parse_amazon_address({"AddressLine1": "Rua A, 1", "District": "Centro", "City": "Sta Rita do Sapucai",
                                   "StateOrRegion": "Minas Gerais", "PostalCode": "37540-000"})
    assert (parsed.uf, parsed.city_code, parsed.problems) == ("MG", "3159605", [])


def test_seven_digit_cep_gets_its_leading_zero_back_only_when_it_fits_the_state(reference_data):
    assert parse_amazon_address({"AddressLine1": "Rua A, 1", "District": "Sé", "City": "São Paulo",
                                 "StateOrRegion": "SP", "PostalCode": "1001000"}).cep == "01001000"
    assert "cep_invalid" in parse_amazon_address({"AddressLine1": "Rua A, 1", "District": "Centro", "City": "Rio de Janeiro",
                                                  "StateOrRegion": "RJ", "PostalCode": "1001000"}).problems


def test_missing_state_city_and_cep_are_each_reported(reference_data):
    parsed = parse_amazon_address({"AddressLine1": "Rua A, 1", "District": "Centro"})
    assert {"uf_missing", "city_missing", "cep_missing"} <= set(parsed.problems)
    assert "uf_unknown" in parse_amazon_address({"AddressLine1": "Rua A, 1", "StateOrRegion": "Texas"}).problems


@pytest.mark.parametrize("text, uf", [("SP", "SP"), ("rj", "RJ"), ("São Paulo", "SP"), ("ESPIRITO SANTO", "ES"),
                                      ("Estado do Rio Grande do Sul", "RS"), ("Pará", "PA"), ("California", "")])
def test_state_from_code_or_full_name(text, uf):
    assert state_code(text) == uf
