"""Seller B walks every portal and API URL with seller A's ids, with every method: 404 (or 405), never A's data."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fiscal.models import Invoice, InvoiceEvent
from orders.models import Order, OrderItem
from portal.models import WebhookDelivery, WebhookEndpoint
from products.models import Offer, Product, TaxGroup
from sellers.models import AmazonAuthorization, Certificate, Seller

from .conftest import logged_in

METHODS = ["get", "post", "put", "patch", "delete"]
NAMESPACES = ("portal", "api")
# Which of seller A's objects a URL name's `pk` means (portal names by screen, API names by router basename).
OBJECT_FOR_NAME = {
    "portal:order_detail": "order", "portal:order_resend": "blocked", "portal:invoice_xml": "invoice",
    "portal:invoice_danfe": "invoice", "portal:product_edit": "incomplete", "portal:tax_group_edit": "tax_group",
    "portal:webhook_deactivate": "endpoint", "portal:webhook_delete": "endpoint", "portal:webhook_send_test": "endpoint",
    "portal:webhook_delivery_resend": "delivery",
    "api:seller": "seller", "api:product": "incomplete", "api:offer": "offer", "api:order": "blocked",
    "api:invoice": "invoice", "api:certificate": "certificate", "api:amazon-authorization": "authorization",
    "api:webhook": "endpoint",
}
OTHER_KWARGS = {"fmt": "csv", "token": "set-password"}
MARKERS = ["701-ALFA00", "ALFA-SKU", "Alfa Comércio"]


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern) and namespace in NAMESPACES and entry.name:
            yield f"{namespace}:{entry.name}", list(entry.pattern.regex.groupindex)


URLS = sorted(dict(_walk(get_resolver().url_patterns)).items())


API_SUFFIXES = ("-detail", "-xml", "-danfe", "-resend", "-preflight", "-remove-hybrid", "-deliveries")
# POST-only screens: a GET is a 405 even for their owner.
POST_ONLY = ("resend", "preflight", "remove-hybrid", "danfe", "webhook_deactivate", "webhook_delete", "webhook_send_test")


def _object_key(name: str) -> str:
    for suffix in API_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return OBJECT_FOR_NAME[name]


def _url(name: str, kwargs: list[str], objects: dict, user_a) -> str:
    values = {}
    for kwarg in kwargs:
        if kwarg == "pk":
            key = _object_key(name)
            values["pk"] = objects["seller"].pk if key == "seller" else objects[key].pk
        elif kwarg == "uidb64":
            values["uidb64"] = urlsafe_base64_encode(force_bytes(user_a.pk))
        else:
            values[kwarg] = OTHER_KWARGS[kwarg]
    return reverse(name, kwargs=values)


def snapshot(seller) -> dict:
    """Everything of seller A that any view could change."""
    scoped = {
        "products": Product.objects.filter(seller=seller), "orders": Order.objects.filter(seller=seller),
        "items": OrderItem.objects.filter(order__seller=seller), "invoices": Invoice.objects.filter(seller=seller),
        "events": InvoiceEvent.objects.filter(invoice__seller=seller), "offers": Offer.objects.filter(seller=seller),
        "certificates": Certificate.objects.filter(seller=seller), "tax": TaxGroup.objects.filter(seller=seller),
        "authorization": AmazonAuthorization.objects.filter(seller=seller).values("pk", "state", "authorized_at", "refresh_token"),
        "endpoints": WebhookEndpoint.objects.filter(seller=seller).values("pk", "url", "active", "events"),
        "deliveries": WebhookDelivery.objects.filter(endpoint__seller=seller), "seller": Seller.objects.filter(pk=seller.pk),
    }
    return {k: sorted(map(str, qs.values() if hasattr(qs, "model") and not qs._fields else qs)) for k, qs in scoped.items()}


@pytest.mark.parametrize("name, kwargs", URLS, ids=[name for name, _k in URLS])
def test_seller_b_never_reaches_seller_a_objects(name, kwargs, seller_a, user_a, user_b, world_a):
    objects = {**world_a, "seller": seller_a}
    url = _url(name, kwargs, objects, user_a)
    before = snapshot(seller_a)
    for method in METHODS:
        response = getattr(logged_in(user_b), method)(url, {}, content_type="application/json") if method != "get" \
            else logged_in(user_b).get(url)
        body = b"".join(response) if response.streaming else response.content
        if "pk" in kwargs:
            assert response.status_code in (404, 405), (method, url, response.status_code)
        else:
            assert response.status_code < 500, (method, url, response.status_code)
            for marker in MARKERS:
                assert marker.encode() not in body, (method, url, marker)
    assert snapshot(seller_a) == before


def test_the_walk_covers_both_namespaces_and_every_addressed_object():
    names = {name for name, _kwargs in URLS}
    assert {"portal:order_detail", "portal:invoice_xml", "api:invoice-xml", "api:offer-remove-hybrid",
            "portal:webhooks", "portal:webhook_delete", "portal:webhook_delivery_resend", "api:webhook-detail",
            "api:webhook-deliveries"} <= names
    assert len([1 for _n, kwargs in URLS if "pk" in kwargs]) >= 15


def test_seller_a_gets_every_addressed_get_url_the_walk_refuses_to_b(seller_a, user_a, world_a):
    """The control: the same URLs answer 200 to their owner, so B's 404s are isolation, not broken links."""
    objects = {**world_a, "seller": seller_a}
    client = logged_in(user_a)
    refused = []
    for name, kwargs in URLS:
        if "pk" not in kwargs or name.endswith(POST_ONLY):
            continue
        response = client.get(_url(name, kwargs, objects, user_a))
        if response.status_code != 200:
            refused.append((name, response.status_code))
    assert refused == []
