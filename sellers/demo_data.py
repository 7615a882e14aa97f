"""The demo agency: what `seed_demo` creates. Sellers and orders match the Amazon sandbox's demo scenario."""

from decimal import Decimal

DEMO_SCENARIO = "sandboxes/amazon/scenarios/demo.json"
STAFF = {"username": "agencia", "password": "agencia-demo-2026"}

# selling partner id -> what the scenario does not say about the seller
SELLERS = {
    "A1SIMPLESSPDEMO": {
        "username": "paulista", "password": "paulista-demo-2026", "crt": 1, "city_code": "3550308",
        "simples_credit_rate": Decimal("2.56"), "authorized_days_ago": 40, "ie": "110042490114",
    },
    "A2NORMALMGDEMO": {
        "username": "mineira", "password": "mineira-demo-2026", "crt": 3, "city_code": "3106200",
        "simples_credit_rate": Decimal("0"), "authorized_days_ago": 357, "ie": "0623079040081",
    },
}
# A third seller with an expired authorization: its orders stop with "re-authorize" until renewed.
EXPIRED_SELLER = {
    "selling_partner_id": "A3EXPIREDPEDEMO", "legal_name": "Recife Presentes Ltda", "trade_name": "Recife Presentes",
    "cnpj_base": "77888999000", "ie": "0325145160", "crt": 1, "street": "Avenida Boa Viagem", "number": "3000",
    "district": "Boa Viagem", "city_name": "Recife", "city_code": "2611606", "uf": "PE", "cep": "51020000",
    "username": "recife", "password": "recife-demo-2026", "authorized_days_ago": 380,
    "refresh_token": "Atzr|demo-expired-refresh-token",
}

TAX_GROUPS = {
    "A1SIMPLESSPDEMO": [
        {"name": "Simples - tributado", "icms_cst": "102", "cfop_internal": "5102", "cfop_interstate": "6108",
         "pis_cst": "49", "pis_rate": Decimal("0"), "cofins_cst": "49", "cofins_rate": Decimal("0")},
        {"name": "Simples - ST", "icms_cst": "500", "cfop_internal": "5405", "cfop_interstate": "6108",
         "pis_cst": "49", "pis_rate": Decimal("0"), "cofins_cst": "49", "cofins_rate": Decimal("0")},
    ],
    "A2NORMALMGDEMO": [
        {"name": "Normal - tributado", "icms_cst": "00", "cfop_internal": "5102", "cfop_interstate": "6108",
         "pis_cst": "01", "pis_rate": Decimal("1.65"), "cofins_cst": "01", "cofins_rate": Decimal("7.60")},
        {"name": "Normal - ST", "icms_cst": "60", "cfop_internal": "5405", "cfop_interstate": "6108",
         "pis_cst": "01", "pis_rate": Decimal("1.65"), "cofins_cst": "01", "cofins_rate": Decimal("7.60")},
    ],
}

# (sku, asin, title, gtin, ncm, cest, origin, tax group name or None)
PRODUCTS = {
    "A1SIMPLESSPDEMO": [
        ("SKU-A-001", "B0SANDA001", "Garrafa térmica inox 1 L", "7891000315507", "96170010", "", 0, "Simples - tributado"),
        ("SKU-A-002", "B0SANDA002", "Jogo de panelas antiaderentes 5 peças", "", "76151000", "", 0, "Simples - tributado"),
        ("SKU-A-003", "B0SANDA003", "Kit potes herméticos de vidro 10 peças", "", "39241000", "", 1, "Simples - tributado"),
        ("SKU-A-004", "B0SANDA004", "Cafeteira elétrica 30 xícaras", "", "85167100", "", 0, "Simples - tributado"),
        ("SKU-A-005", "B0SANDA005", "Jogo de toalhas de banho 4 peças", "", "", "", 0, "Simples - tributado"),
        ("SKU-A-006", "B0SANDA006", "Tábua de corte de bambu", "", "12345678", "", 0, "Simples - tributado"),
        ("SKU-A-007", "B0SANDA007", "Conjunto de facas 6 peças", "", "82119100", "", 0, "Simples - tributado"),
        ("SKU-A-008", "B0SANDA008", "Escorredor de louça inox", "", "73239300", "", None, None),
        ("SKU-A-009", "B0SANDA009", "Lâmpada LED 9 W (kit 10)", "", "85395200", "0900100", 0, "Simples - ST"),
        ("SKU-A-010", "B0SANDA010", "Caderno universitário 10 matérias", "", "48202000", "", 0, "Simples - tributado"),
    ],
    "A2NORMALMGDEMO": [
        ("SKU-B-001", "B0SANDB001", "Liquidificador 1200 W", "", "85094050", "", 0, "Normal - tributado"),
        ("SKU-B-002", "B0SANDB002", "Faqueiro inox 24 peças", "", "82152000", "", 0, "Normal - tributado"),
        ("SKU-B-003", "B0SANDB003", "Panela de pressão 4,5 L", "", "76151000", "0100100", 0, "Normal - ST"),
        ("SKU-B-004", "B0SANDB004", "Jogo de copos de vidro 6 peças", "", "70134900", "", 0, "Normal - tributado"),
        ("SKU-B-005", "B0SANDB005", "Ventilador de mesa 40 cm", "", "84145190", "", 0, "Normal - tributado"),
        ("SKU-B-006", "B0SANDB006", "Ferro de passar a vapor", "", "", "", 0, "Normal - tributado"),
        ("SKU-B-007", "B0SANDB007", "Aparelho de jantar 20 peças", "", "69111010", "", 0, "Normal - tributado"),
        ("SKU-B-008", "B0SANDB008", "Chaleira elétrica 1,7 L", "", "85161000", "", 8, "Normal - tributado"),
        ("SKU-B-009", "B0SANDB009", "Forma de bolo antiaderente", "", "73239900", "", 0, None),
        ("SKU-B-010", "B0SANDB010", "Lâmpada LED 12 W (kit 6)", "", "85395200", "0900100", 0, "Normal - ST"),
    ],
}

# (sku, asin, channel, fba_onsite, quantity, price): SKU-A-001 is offered on both channels (hybrid in one SKU),
# SKU-B-002 has a merchant-fulfilled twin SKU of the same ASIN (hybrid in two SKUs).
OFFERS = {
    "A1SIMPLESSPDEMO": [
        ("SKU-A-001", "B0SANDA001", "AMAZON_NA", True, None, Decimal("89.90")),
        ("SKU-A-001", "B0SANDA001", "DEFAULT", False, 12, Decimal("89.90")),
        ("SKU-A-002", "B0SANDA002", "AMAZON_NA", True, None, Decimal("349.00")),
        ("SKU-A-003", "B0SANDA003", "AMAZON_NA", True, None, Decimal("129.90")),
        ("SKU-A-004", "B0SANDA004", "AMAZON_NA", True, None, Decimal("199.90")),
    ],
    "A2NORMALMGDEMO": [
        ("SKU-B-001", "B0SANDB001", "AMAZON_NA", True, None, Decimal("259.90")),
        ("SKU-B-002", "B0SANDB002", "AMAZON_NA", True, None, Decimal("149.90")),
        ("SKU-B-002-MF", "B0SANDB002", "DEFAULT", False, 5, Decimal("149.90")),
        ("SKU-B-003", "B0SANDB003", "AMAZON_NA", True, None, Decimal("179.90")),
    ],
}
