"""/api/: router resources (the root lists them all), the token endpoint, the schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views
from .docs import api_docs

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("sellers", views.SellerViewSet, basename="seller")
router.register("products", views.ProductViewSet, basename="product")
router.register("offers", views.OfferViewSet, basename="offer")
router.register("orders", views.OrderViewSet, basename="order")
router.register("invoices", views.InvoiceViewSet, basename="invoice")
router.register("credentials/certificates", views.CertificateViewSet, basename="certificate")
router.register("credentials/amazon-authorizations", views.AmazonAuthorizationViewSet, basename="amazon-authorization")
router.register("webhooks", views.WebhookEndpointViewSet, basename="webhook")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
    path("", include(router.urls)),
]
