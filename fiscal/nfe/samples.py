"""Sample documents for the benchmark and the tests (fixed data, no database)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from .inputs import Address, Emitter, Intermediary, Item, NfeDocument, Payment, Recipient, StateRates, TaxRule

SP_ADDRESS = Address(
    street="Avenida Paulista", number="1000", complement="Conj 101", district="Bela Vista", city_code="3550308",
    city_name="São Paulo", uf="SP", cep="01310100", phone="1130000000",
)
RJ_ADDRESS = Address(
    street="Rua da Assembleia", number="10", district="Centro", city_code="3304557", city_name="Rio de Janeiro",
    uf="RJ", cep="20011000",
)
NORMAL_RULE = TaxRule(
    icms_cst="00", pis_cst="01", pis_rate=Decimal("1.65"), cofins_cst="01", cofins_rate=Decimal("7.60"),
)
SIMPLES_RULE = TaxRule(icms_cst="102")


def emitter(*, crt: int = 3, cnpj: str = "11222333000181") -> Emitter:
    return Emitter(cnpj=cnpj, name="EMPRESA TESTE LTDA", ie="110042490114", crt=crt, address=SP_ADDRESS)


def sample_document(
    *, number: int = 1, crt: int = 3, rule: TaxRule = NORMAL_RULE, destination: Address = RJ_ADDRESS,
    items: int = 2, environment: int = 2, cnpj: str = "11222333000181",
) -> NfeDocument:
    """An interstate marketplace sale to a consumer (DIFAL + FCP when the emitter is in the regime normal)."""
    lines = tuple(
        Item(code=f"SKU-{n}", description=f"Fone de ouvido Bluetooth modelo {n}", ncm="85183000", origin=0,
             unit="UN", quantity=Decimal(n), total=Decimal("59.90") * n, rule=rule, gtin="7891000315507")
        for n in range(1, items + 1)
    )
    total = sum((line.total for line in lines), Decimal(0))
    return NfeDocument(
        environment=environment, series=1, number=number, cnf=f"{(number * 7919 + 13) % 10**8:08d}",
        issued_at=datetime(2026, 11, 27, 10, 30, tzinfo=ZoneInfo("America/Sao_Paulo")),
        emitter=emitter(crt=crt, cnpj=cnpj),
        recipient=Recipient(document="52998224725", name="Maria da Silva", address=destination),
        items=lines, payments=(Payment(tpag="03", amount=total + Decimal("15.00"), acquirer_cnpj="01027058000191",
                                       card_brand="01", authorization_code="123456"),),
        order_id="701-1234567-1234567", intermediary=Intermediary(cnpj="15436940000103", seller_id="A1B2C3D4E5F6G7"),
        shipping=Decimal("15.00"), emitter_rates=StateRates(Decimal("18")),
        destination_rates=StateRates(Decimal("20"), Decimal("2")) if destination.uf == "RJ" else StateRates(Decimal("18")),
    )
