"""Credentials: the A1 certificate (upload, validity, days left) and the Amazon authorization (consent, test)."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sellers.certificates import CertificateError
from sellers.models import AmazonAuthorization, Certificate
from sellers.services import install_certificate

from .. import collaborators
from ..access import seller_view
from ..forms import CertificateUploadForm

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
    consent_url = collaborators.consent_url()
    if consent_url is None:
        messages.error(request, _("The Amazon authorization is not available yet: ask the agency's support."))
        return redirect("portal:credentials")
    return redirect(consent_url(request.seller, redirect_uri=_callback_uri(request)))


@seller_view
def amazon_callback(request):
    """Amazon sends the seller back here with the one-time code; the state ties it to this seller."""
    if not request.can_change:
        raise PermissionDenied
    complete = collaborators.complete_authorization()
    params = {k: request.GET.get(k, "") for k in ("state", "spapi_oauth_code", "selling_partner_id")}
    if complete is None or not all(params.values()):
        messages.error(request, _("Amazon did not return the authorization: click “Authorize” again."))
        return redirect("portal:credentials")
    try:
        complete(redirect_uri=_callback_uri(request), **params)
    except Exception as exc:  # the integration's errors carry a message for the seller; show it, log the type only
        log.warning("Amazon authorization callback failed: %s", type(exc).__name__)
        messages.error(request, str(exc) or _("Amazon refused the authorization: click “Authorize” again."))
    else:
        messages.success(request, _("Amazon authorization saved: valid for 365 days."))
    return redirect("portal:credentials")


@require_POST
@seller_view
def amazon_test(request):
    test = collaborators.test_connection()
    if test is None:
        messages.error(request, _("The connection test is not available yet."))
        return redirect("portal:credentials")
    try:
        result = test(request.seller)
    except Exception as exc:  # shown to the seller as the integration worded it
        messages.error(request, str(exc))
    else:
        ok = getattr(result, "ok", bool(result))
        detail = getattr(result, "message", "")
        (messages.success if ok else messages.error)(
            request, detail or (_("Connection to Amazon working.") if ok else _("Amazon refused the connection.")))
    return redirect("portal:credentials")
