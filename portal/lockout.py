"""What a locked-out login sees (django-axes): JSON error body for the API, a pt-BR page for the portal."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKOUT_STATUS = 429


def lockout_response(request, original_response=None, credentials=None):
    message = _("Too many failed attempts: wait 15 minutes and try again, or reset your password.")
    if request.path.startswith("/api/"):
        body = {"error": {"code": "locked_out", "message": message, "fields": {}}}
        return JsonResponse(body, status=LOCKOUT_STATUS)
    return render(request, "portal/lockout.html", {"message": message}, status=LOCKOUT_STATUS)
