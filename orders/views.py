"""The health endpoint: JSON for monitors, 200 when every part is ok, 503 otherwise (no login: no secrets inside)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


@never_cache
@require_GET
def health(request):
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)
