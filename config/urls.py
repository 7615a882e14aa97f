"""Root URLs: the admin, the REST API under /api/ (schema and docs included) and the seller portal at /."""

from django.contrib import admin
from django.urls import include, path

import orders.views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", orders.views.health),
    path("api/", include("portal.api.urls")),
    path("", include("portal.urls")),
]
