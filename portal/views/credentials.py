"""Credentials: the A1 certificate (upload, validity, days left) and the Amazon authorization (consent, test)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from integration.authorization import AuthorizationError, complete_authorization, consent_url, test_connection
from sellers.certificates import CertificateError
from integration.models import OAuthState
from sellers.models import AmazonAuthorization, Certificate
from sellers.services import install_certificate

from ..access import seller_view
from ..forms import CertificateUploadForm
from ..recheck import recheck_credential_blocks

log = logging.getLogger(__name__)


def _page(request, form=None, status=200):
    seller = request.seller
    return render(request, "portal/credentials.html", {
        "form": form or CertificateUploadForm(),
        "certificate": Certificate.objects.for_seller(seller).filter(active=True).order_by("-not_after").first(),
        "authorization": AmazonAuthorization.objects.for_seller(seller).first(),
    }, status=status)


@seller_view
def credentials(request):
    return _page(request)


@require_POST
@seller_view
def certificate_upload(request):
    """Check and store the .pfx; on any failure nothing is stored and the password field comes back empty."""
    form = CertificateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            cert = install_certificate(
                request.seller, pfx=form.cleaned_data["pfx"].read(), password=form.cleaned_data["password"]
            )
        except CertificateError as exc:
            form.add_error("pfx", str(exc))
        else:
            messages.success(request, _("Certificate installed: valid until %(date)s.") % {
                "date": cert.not_after.strftime("%d/%m/%Y")})
            return redirect("portal:credentials")
    return _page(request, form, status=400)


def _callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("portal:amazon_callback"))


@require_POST
@seller_view
def amazon_authorize(request):
    """Off to Amazon's consent page; the one-time `state` it carries ties the answer to this seller."""
    return redirect(consent_url(request.seller, redirect_uri=_callback_uri(request)))


@seller_view
def amazon_callback(request):
    """Amazon sends the seller back here with the one-time code; the state ties it to this seller."""
    if not request.can_change:
        raise PermissionDenied
    params = {k: request.GET.get(k, "") for k in ("state", "spapi_oauth_code", "selling_partner_id")}
    if not all(params.values()):
        messages.error(request, _("Amazon did not return the authorization: click “Authorize” again."))
        return redirect("portal:credentials")
    try:
        _complete_for(request.seller, params, redirect_uri=_callback_uri(request))
    except AuthorizationError as exc:  # worded for the seller by the integration
        log.warning("Amazon authorization callback refused for seller %s", request.seller.pk)
        messages.error(request, str(exc))
    else:
        released = recheck_credential_blocks(request.seller)
        messages.success(request, _("Amazon authorization saved: valid for 365 days. Blocked orders released: %(n)d.")
                         % {"n": released})
    return redirect("portal:credentials")


def _complete_for(seller, params: dict, *, redirect_uri: str) -> None:
    """The state must have been issued to the seller now logged in; another seller's state is refused unused."""
    if not OAuthState.objects.filter(state=params["state"], seller=seller).exists():
        raise AuthorizationError(_("This authorization was not started from your account, or the link is invalid. "
                                   "Click “Authorize” again in Credentials."))
    complete_authorization(redirect_uri=redirect_uri, **params)


@require_POST
@seller_view
def amazon_test(request):
    result = test_connection(request.seller)
    if result.ok:
        stores = ", ".join(result.store_names)
        messages.success(request, f"{result.message} {stores}".strip())
    else:
        messages.error(request, result.message or _("Amazon refused the connection."))
    return redirect("portal:credentials")
