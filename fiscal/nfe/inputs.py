"""What an NF-e is made of, as frozen dataclasses independent of Django (built by `from_order`)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Address:
    street: str
    number: str
    district: str
    city_code: str  # IBGE cMun, 7 digits
    city_name: str
    uf: str
    cep: str
    complement: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Emitter:
    cnpj: str  # 14 characters, numeric or alphanumeric
    name: str
    ie: str
    crt: int  # 1 Simples, 2 Simples above sub-limit, 3 regime normal, 4 MEI
    address: Address
    trade_name: str = ""
    simples_credit_rate: Decimal = Decimal("0")  # pCredSN for CSOSN 101/201/900

    @property
    def is_simples(self) -> bool:
        return self.crt in (1, 2, 4)


@dataclass(frozen=True)
class Recipient:
    document: str  # CPF (11) or CNPJ (14)
    name: str
    address: Address
    ie: str = ""
    ie_indicator: int = 9  # indIEDest: 1 contributor, 2 exempt, 9 non-contributor
    email: str = ""

    @property
    def is_company(self) -> bool:
        return len(self.document) == 14


@dataclass(frozen=True)
class TaxRule:
    """The product's tax group: CFOP by destination and the CST/CSOSN and rates of each tax."""

    icms_cst: str
    cfop_internal: str = "5102"
    cfop_interstate: str = "6108"
    icms_base_reduction: Decimal = Decimal("0")
    icms_st_mva: Decimal = Decimal("0")
    pis_cst: str = "49"
    pis_rate: Decimal = Decimal("0")
    cofins_cst: str = "49"
    cofins_rate: Decimal = Decimal("0")
    ipi_cst: str = ""
    ipi_rate: Decimal = Decimal("0")
    ipi_cenq: str = "999"
    ibs_cbs_enabled: bool = False
    ibs_cbs_cst: str = "000"
    ibs_cbs_class: str = "000001"


@dataclass(frozen=True)
class Item:
    code: str  # cProd (the SKU)
    description: str
    ncm: str
    origin: int
    unit: str
    quantity: Decimal
    total: Decimal  # vProd: the line's gross value
    rule: TaxRule
    gtin: str = ""
    cest: str = ""


@dataclass(frozen=True)
class Payment:
    tpag: str  # 01 cash, 03 credit, 04 debit, 15 boleto, 17 Pix, 99 other
    amount: Decimal
    description: str = ""  # xPag, required with tPag 99
    acquirer_cnpj: str = ""
    card_brand: str = ""  # tBand
    authorization_code: str = ""
    indpag: str = "0"  # paid in full at the sale


@dataclass(frozen=True)
class Intermediary:
    cnpj: str  # the marketplace (Amazon Serviços de Varejo do Brasil)
    seller_id: str  # idCadIntTran: the seller's selling partner id at the marketplace


@dataclass(frozen=True)
class StateRates:
    """Internal ICMS and FCP of one UF, from `StateTaxRate` (percent)."""

    internal: Decimal
    fcp: Decimal = Decimal("0")


@dataclass(frozen=True)
class NfeDocument:
    environment: int  # tpAmb: 1 production, 2 homologação
    series: int
    number: int
    cnf: str
    issued_at: datetime  # aware
    emitter: Emitter
    recipient: Recipient
    items: tuple[Item, ...]
    payments: tuple[Payment, ...]
    order_id: str  # the Amazon order id: compra/xPed and infCpl
    nat_op: str = "VENDA DE MERCADORIA"
    intermediary: Intermediary | None = None
    shipping: Decimal = Decimal("0")  # vFrete of the whole note, apportioned over the items
    discount: Decimal = Decimal("0")  # vDesc of the whole note, apportioned over the items
    additional_info: str = ""
    emitter_rates: StateRates | None = None
    destination_rates: StateRates | None = None
    final_consumer: bool = True  # indFinal
    emission_type: int = 1  # tpEmis

    @property
    def is_interstate(self) -> bool:
        return self.emitter.address.uf != self.recipient.address.uf
