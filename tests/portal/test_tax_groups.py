"""Tax groups screen: list, create, edit with Portuguese refusals, read-only for viewers, and orders released on save."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from fiscal.preflight import run_preflight
from orders.models import Order, PreflightStatus
from portal.attention import attention_items
from portal.forms import TaxGroupForm
from products.models import Product, TaxGroup
from sellers.models import SellerUser, TaxRegime
from tests.factories import OrderFactory, OrderItemFactory, SellerUserFactory, TaxGroupFactory

from .conftest import logged_in

FIELDS = TaxGroupForm._meta.fields


def form_data(group: TaxGroup, **changes) -> dict:
    data = {k: v for k, v in model_to_dict(group, fields=FIELDS).items() if v is not None}
    data.update(changes)
    if not data.get("ibs_cbs_enabled"):
        data.pop("ibs_cbs_enabled", None)  # an unchecked box is absent from the POST
    return data


def edit(client, group: TaxGroup, **changes):
    return client.post(reverse("portal:tax_group_edit", args=[group.pk]), form_data(group, **changes))


@pytest.fixture
def blocked_by_regime(world_a):
    """A Simples Nacional seller's order blocked because its product's group carries a regime-normal CST."""
    group = world_a["tax_group"]
    TaxGroup.objects.filter(pk=group.pk).update(icms_cst="00")
    order = OrderFactory(seller=group.seller, amazon_order_id="701-ALFA003-0000003")
    OrderItemFactory(order=order, sku=world_a["product"].sku, product=world_a["product"])
    assert not run_preflight(order)
    assert [i["code"] for i in Order.objects.get(pk=order.pk).preflight_issues] == ["regime_mismatch"]
    group.refresh_from_db()
    return order, group


def test_the_list_shows_the_sellers_groups_with_their_codes(client_a, world_a, seller_b):
    TaxGroupFactory(seller=seller_b, name="Grupo do Beta")
    response = client_a.get(reverse("portal:tax_groups"))
    body = response.content.decode()
    assert response.status_code == 200
    assert world_a["tax_group"].name in body and "5102 / 6108" in body
    assert "Grupo do Beta" not in body


def test_a_new_group_is_created_for_the_logged_in_seller(client_a, seller_a, world_a):
    template = TaxGroupFactory.build(seller=seller_a, name="Eletrônicos", icms_cst="102")
    response = client_a.post(reverse("portal:tax_group_create"), form_data(template))
    created = TaxGroup.objects.get(name="Eletrônicos")
    assert response.status_code == 302 and response["Location"] == reverse("portal:tax_group_edit", args=[created.pk])
    assert created.seller == seller_a and created.icms_cst == "102"


def test_a_regime_normal_cst_is_refused_to_a_simples_seller_in_portuguese(client_a, world_a):
    group = world_a["tax_group"]
    response = edit(client_a, group, icms_cst="00")
    assert response.status_code == 400
    assert "Simples Nacional" in response.content.decode() and "CSOSN" in response.content.decode()
    assert TaxGroup.objects.get(pk=group.pk).icms_cst == group.icms_cst


def test_a_csosn_is_refused_to_a_regime_normal_seller(client_a, world_a, seller_a):
    seller_a.crt = TaxRegime.REGIME_NORMAL
    seller_a.save(update_fields=["crt"])
    response = edit(client_a, world_a["tax_group"], icms_cst="102")
    assert response.status_code == 400
    assert "regime normal" in response.context["form"].errors["icms_cst"][0]


@pytest.mark.parametrize("field, value", [
    ("cfop_internal", "6102"), ("cfop_interstate", "5108"), ("cfop_internal", "51O2"),
    ("pis_rate", "150"), ("cofins_rate", "-1"), ("icms_base_reduction", "100.01"), ("pis_cst", "70"),
    ("ipi_cst", "00"),
])
def test_wrong_values_are_refused_with_the_field_named_and_nothing_saved(client_a, world_a, field, value):
    group = world_a["tax_group"]
    before = model_to_dict(TaxGroup.objects.get(pk=group.pk))
    response = edit(client_a, group, **{field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert model_to_dict(TaxGroup.objects.get(pk=group.pk)) == before


def test_the_cfop_message_says_which_digit_it_must_start_with(client_a, world_a):
    response = edit(client_a, world_a["tax_group"], cfop_interstate="5108")
    [message] = response.context["form"].errors["cfop_interstate"]
    assert "6" in message and "5108" in message


def test_a_second_group_with_the_same_name_is_refused(client_a, world_a):
    template = TaxGroupFactory.build(seller=world_a["tax_group"].seller, name=world_a["tax_group"].name.upper())
    response = client_a.post(reverse("portal:tax_group_create"), form_data(template))
    assert response.status_code == 400 and response.context["form"].errors["name"]


def test_a_viewer_sees_the_group_read_only_and_cannot_save(seller_a, world_a):
    viewer = logged_in(SellerUserFactory(seller=seller_a, role=SellerUser.Role.VIEWER, user__username="vera").user)
    group = world_a["tax_group"]
    page = viewer.get(reverse("portal:tax_group_edit", args=[group.pk]))
    assert page.status_code == 200 and b"<fieldset disabled" in page.content
    assert edit(viewer, group, pis_rate="1.65").status_code == 403
    assert viewer.post(reverse("portal:tax_group_create"), form_data(group, name="Outro")).status_code == 403
    assert TaxGroup.objects.get(pk=group.pk).pis_rate == group.pis_rate and not TaxGroup.objects.filter(name="Outro").exists()


def test_the_dashboard_links_a_tax_data_problem_to_the_tax_groups_screen(seller_a, blocked_by_regime):
    order, _group = blocked_by_regime
    [item] = [i for i in attention_items(seller_a) if i.order.pk == order.pk]
    assert item.fix_url == reverse("portal:tax_groups")


def test_fixing_the_group_releases_the_orders_it_blocked_and_says_how_many(client_a, blocked_by_regime):
    order, group = blocked_by_regime
    response = edit(client_a, group, icms_cst="102")
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).preflight_status == PreflightStatus.OK
    page = client_a.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == [
        f"Grupo tributário {group.name} salvo. Pedidos bloqueados liberados: 1."]
    assert "regime_mismatch" not in Product.objects.get(sku="ALFA-SKU-1", seller=group.seller).fiscal_issues


def test_an_order_blocked_for_another_reason_stays_blocked_after_a_save(client_a, world_a):
    blocked = world_a["blocked"]  # its product has no NCM: the group is not the problem
    run_preflight(blocked)
    response = edit(client_a, world_a["incomplete"].tax_group, pis_rate=Decimal("0.65"))
    assert response.status_code == 302
    assert Order.objects.get(pk=blocked.pk).preflight_status == PreflightStatus.BLOCKED
    assert str(list(client_a.get(response["Location"]).context["messages"])[0]).endswith("liberados: 0.")
