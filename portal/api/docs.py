"""/api/docs/: a plain page listing every operation from the OpenAPI schema.

No drf-spectacular-sidecar is installed and Swagger/Redoc from a CDN do not load offline, so the page is
rendered from the schema itself; /api/schema/ remains the machine-readable source for Swagger UI elsewhere.
"""

from django.conf import settings
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def api_docs(request):
    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    paths = [
        (path, [(m, op.get("summary") or op.get("description", "").split("\n")[0] or op.get("operationId", ""))
                for m, op in item.items() if m in HTTP_METHODS])
        for path, item in sorted(schema.get("paths", {}).items())
    ]
    spec = settings.SPECTACULAR_SETTINGS
    return render(request, "portal/api_docs.html", {
        "title": spec.get("TITLE", "API"), "description": spec.get("DESCRIPTION", ""), "paths": paths,
    })
