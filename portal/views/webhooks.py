"""Webhooks: the seller's endpoints and their last deliveries; create (the secret is shown once), test, replay."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import seller_view
from ..forms import WebhookEndpointForm
from ..models import WebhookDelivery, WebhookEndpoint
from ..webhooks import (
    SIGNATURE_HEADER, create_endpoint, deactivate_endpoint, delete_endpoint, endpoints_for_page, redeliver_failed,
    send_test_event,
)


def _page(request, form=None, *, created=None, secret="", status=200):
    return render(request, "portal/webhooks.html", {
        "form": form or WebhookEndpointForm(), "endpoints": endpoints_for_page(request.seller),
        "created": created, "secret": secret, "signature_header": SIGNATURE_HEADER,
    }, status=status)


def _endpoint(request, pk: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint.objects.for_seller(request.seller), pk=pk)


@seller_view
def webhooks(request):
    """GET lists; POST creates and answers the page itself with the secret, so it is never stored in clear
    (not even in the session) and a reload cannot show it again."""
    if request.method != "POST":
        return _page(request)
    form = WebhookEndpointForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    endpoint, secret = create_endpoint(request.seller, url=form.cleaned_data["url"], events=form.cleaned_data["events"])
    return _page(request, created=endpoint, secret=secret, status=201)


@require_POST
@seller_view
def webhook_deactivate(request, pk: int):
    endpoint = _endpoint(request, pk)
    deactivate_endpoint(endpoint)
    messages.success(request, _("Endpoint %(url)s deactivated: it receives no new events.") % {"url": endpoint.url})
    return redirect("portal:webhooks")


@require_POST
@seller_view
def webhook_delete(request, pk: int):
    endpoint = _endpoint(request, pk)
    delete_endpoint(endpoint)
    messages.success(request, _("Endpoint %(url)s deleted.") % {"url": endpoint.url})
    return redirect("portal:webhooks")


@require_POST
@seller_view
def webhook_send_test(request, pk: int):
    endpoint = _endpoint(request, pk)
    send_test_event(endpoint)
    messages.success(request, _("Test event queued for %(url)s: its result appears below in a few seconds.")
                     % {"url": endpoint.url})
    return redirect("portal:webhooks")


@require_POST
@seller_view
def webhook_delivery_resend(request, pk: int):
    delivery = get_object_or_404(WebhookDelivery.objects.for_seller(request.seller), pk=pk)
    if redeliver_failed(delivery) is None:
        messages.error(request, _("Only a failed delivery can be sent again; this one is still in progress or was delivered."))
    else:
        messages.success(request, _("Delivery queued again."))
    return redirect("portal:webhooks")
