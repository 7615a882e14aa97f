"""Create the demo agency (idempotent): staff, sellers with users, certificates, authorizations, products, offers, orders."""

import json
import re
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from products.models import Offer, Product, TaxGroup
from sellers import demo_data
from sellers.certificates import make_test_pfx
from sellers.documents import complete_cnpj, only_digits
from sellers.models import AmazonAuthorization, Seller, SellerUser
from sellers.services import install_certificate, record_authorization

DEMO_PFX_PASSWORD = "demo1234"


class Command(BaseCommand):
    help = "Create the demo agency with its sellers and data. Safe to run again: nothing is duplicated."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the logins as JSON for scripts")
        parser.add_argument("--skip-reference", action="store_true", help="Do not (re)load the NCM/CEST/IBGE tables")

    def handle(self, *args, json: bool = False, skip_reference: bool = False, **options):
        if not skip_reference:
            call_command("load_reference_data", verbosity=0)
        scenario = _load_scenario()
        with transaction.atomic():
            staff = _ensure_user(demo_data.STAFF["username"], demo_data.STAFF["password"], staff=True)
            sellers = [_seed_scenario_seller(spid, data, scenario) for spid, data in scenario["sellers"].items() if spid in demo_data.SELLERS]
            sellers.append(_seed_expired_seller())
            _seed_orders(scenario)
        out = {
            "staff": {"username": staff.username, "password": demo_data.STAFF["password"]},
            "sellers": [_seller_summary(s) for s in sellers],
        }
        if json:
            self.stdout.write(__import__("json").dumps(out, ensure_ascii=False))
        else:
            self.stdout.write(_human_summary(out))


def _load_scenario() -> dict:
    return json.loads((Path(settings.BASE_DIR) / demo_data.DEMO_SCENARIO).read_text())


def _ensure_user(username: str, password: str, *, staff: bool = False):
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"email": f"{username}@example.com.br"})
    if created or not user.check_password(password):
        user.set_password(password)
    user.is_staff = user.is_superuser = staff
    user.save()
    return user


def _seed_scenario_seller(spid: str, data: dict, scenario: dict) -> Seller:
    extra = demo_data.SELLERS[spid]
    address = data["address"]
    seller, _ = Seller.objects.update_or_create(
        cnpj=data["cnpj"],
        defaults={
            "legal_name": data["legalName"][:60], "trade_name": data["storeName"][:60], "ie": extra["ie"],
            "crt": extra["crt"], "street": address["street"], "number": address["number"], "complement": "",
            "district": address["neighborhood"], "city_name": address["city"], "city_code": extra["city_code"],
            "uf": address["uf"], "cep": only_digits(address["cep"]), "email": f"{extra['username']}@example.com.br",
            "simples_credit_rate": extra["simples_credit_rate"],
        },
    )
    _finish_seller(seller, spid, data["refreshTokens"][0], extra)
    _seed_catalogue(seller, spid)
    return seller


def _seed_expired_seller() -> Seller:
    data = demo_data.EXPIRED_SELLER
    fields = {k: data[k] for k in ("legal_name", "trade_name", "ie", "crt", "street", "number", "district", "city_name", "city_code", "uf", "cep")}
    seller, _ = Seller.objects.update_or_create(cnpj=complete_cnpj(data["cnpj_base"] + "1"), defaults=fields)
    _finish_seller(seller, data["selling_partner_id"], data["refresh_token"], data)
    return seller


def _finish_seller(seller: Seller, spid: str, refresh_token: str, extra: dict) -> None:
    user = _ensure_user(extra["username"], extra["password"])
    SellerUser.objects.update_or_create(user=user, defaults={"seller": seller, "role": SellerUser.Role.OWNER})
    if not seller.invoicing_override:
        # The demo catalogue is deliberately imperfect; staff let invoicing start anyway (recorded, as in real life).
        Seller.objects.filter(pk=seller.pk).update(
            invoicing_override=True, invoicing_override_by="seed_demo", invoicing_override_at=timezone.now()
        )
    if not AmazonAuthorization.objects.filter(seller=seller).exists():
        record_authorization(
            seller, selling_partner_id=spid, refresh_token=refresh_token,
            authorized_at=timezone.now() - timedelta(days=extra["authorized_days_ago"]),
        )
    if seller.active_certificate is None:
        pfx = make_test_pfx(cnpj=seller.cnpj, name=seller.legal_name.upper(), password=DEMO_PFX_PASSWORD)
        install_certificate(seller, pfx=pfx, password=DEMO_PFX_PASSWORD)


def _seed_catalogue(seller: Seller, spid: str) -> None:
    groups = {}
    for spec in demo_data.TAX_GROUPS[spid]:
        groups[spec["name"]], _ = TaxGroup.objects.update_or_create(seller=seller, name=spec["name"], defaults=spec)
    for sku, asin, title, gtin, ncm, cest, origin, group in demo_data.PRODUCTS[spid]:
        Product.objects.update_or_create(
            seller=seller, sku=sku,
            defaults={"asin": asin, "title": title, "gtin": gtin, "ncm": ncm, "cest": cest, "origin": origin,
                      "tax_group": groups.get(group)},
        )
    _validate_catalogue(seller)
    for sku, asin, channel, onsite, quantity, price in demo_data.OFFERS[spid]:
        Offer.objects.update_or_create(
            seller=seller, sku=sku, fulfillment_channel=channel,
            defaults={"asin": asin, "is_fba_onsite": onsite, "quantity": quantity, "price": price, "status": "BUYABLE",
                      "product": Product.objects.filter(seller=seller, asin=asin).order_by("sku").first()},
        )
    _scan_hybrids(seller)


def _validate_catalogue(seller: Seller) -> None:
    from products.fiscal_validation import revalidate_seller

    revalidate_seller(seller)


def _scan_hybrids(seller: Seller) -> None:
    try:
        from integration.listings.hybrids import scan_hybrids
    except ImportError:  # the listings module marks hybrids itself once present
        return
    scan_hybrids(seller)


def _seed_orders(scenario: dict) -> None:
    """The scenario's orders, stored as the importer would store them (the sandbox then serves the same ones)."""
    from integration.order_mapping import map_order
    from integration.orders_import import upsert_orders

    by_spid = {a.selling_partner_id: a.seller for a in AmazonAuthorization.objects.select_related("seller")}
    for entry in scenario["orders"]:
        seller = by_spid.get(entry["sellingPartnerId"])
        if seller is not None:
            upsert_orders(seller, [map_order(_resolve_relative_dates(entry["order"]))])


_RELATIVE_TIME = re.compile(r"^now(?:([+-])(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?)?$")


def _resolve_relative_dates(value):
    """The scenario writes times as 'now-3d' or 'now-3h30m'; orders are stored with real dates, as served."""
    if isinstance(value, dict):
        return {k: _resolve_relative_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_relative_dates(v) for v in value]
    match = _RELATIVE_TIME.match(value) if isinstance(value, str) else None
    if not match:
        return value
    sign, days, hours, minutes = match.groups()
    delta = timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0))
    moment = timezone.now() + (delta if sign == "+" else -delta)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _seller_summary(seller: Seller) -> dict:
    member = seller.members.select_related("user").first()
    passwords = {v["username"]: v["password"] for v in demo_data.SELLERS.values()}
    passwords[demo_data.EXPIRED_SELLER["username"]] = demo_data.EXPIRED_SELLER["password"]
    return {"id": seller.pk, "name": str(seller), "cnpj": seller.cnpj,
            "user": {"username": member.user.username, "password": passwords[member.user.username]}}


def _human_summary(out: dict) -> str:
    lines = ["Demo data ready.", f"  Staff (admin): {out['staff']['username']} / {out['staff']['password']}"]
    lines += [f"  Seller {s['name']} ({s['cnpj']}): {s['user']['username']} / {s['user']['password']}" for s in out["sellers"]]
    return "\n".join(lines)
