"""The seller portal (pt-BR paths). Every view with an id fetches through for_seller: another seller's id is a 404."""

from django.urls import path

from .views import auth, credentials, dashboard, exports, offers, orders, products, tax_groups, webhooks

app_name = "portal"

urlpatterns = auth.auth_urlpatterns() + [
    path("vendedor/", auth.choose_seller, name="choose_seller"),
    path("", dashboard.dashboard, name="dashboard"),
    path("checklist/", dashboard.checklist, name="checklist"),
    path("pedidos/", orders.order_list, name="order_list"),
    path("pedidos/<int:pk>/", orders.order_detail, name="order_detail"),
    path("pedidos/<int:pk>/reenviar/", orders.order_resend, name="order_resend"),
    path("notas/<int:pk>/xml/", orders.invoice_xml, name="invoice_xml"),
    path("notas/<int:pk>/danfe/", orders.invoice_danfe, name="invoice_danfe"),
    path("produtos/", products.product_list, name="product_list"),
    path("produtos/<int:pk>/", products.product_edit, name="product_edit"),
    path("produtos/importar/", products.product_import, name="product_import"),
    path("produtos/exportar.<str:fmt>", products.product_export, name="product_export"),
    path("grupos-tributarios/", tax_groups.tax_group_list, name="tax_groups"),
    path("grupos-tributarios/novo/", tax_groups.tax_group_create, name="tax_group_create"),
    path("grupos-tributarios/<int:pk>/", tax_groups.tax_group_edit, name="tax_group_edit"),
    path("credenciais/", credentials.credentials, name="credentials"),
    path("credenciais/certificado/", credentials.certificate_upload, name="certificate_upload"),
    path("credenciais/amazon/autorizar/", credentials.amazon_authorize, name="amazon_authorize"),
    path("credenciais/amazon/retorno/", credentials.amazon_callback, name="amazon_callback"),
    path("credenciais/amazon/testar/", credentials.amazon_test, name="amazon_test"),
    path("ofertas-hibridas/", offers.hybrid_offers, name="hybrid_offers"),
    path("exportacao-mensal/", exports.monthly_export, name="monthly_export"),
    path("integracoes/webhooks/", webhooks.webhooks, name="webhooks"),
    path("integracoes/webhooks/<int:pk>/desativar/", webhooks.webhook_deactivate, name="webhook_deactivate"),
    path("integracoes/webhooks/<int:pk>/excluir/", webhooks.webhook_delete, name="webhook_delete"),
    path("integracoes/webhooks/<int:pk>/testar/", webhooks.webhook_send_test, name="webhook_send_test"),
    path("integracoes/webhooks/entregas/<int:pk>/reenviar/", webhooks.webhook_delivery_resend,
         name="webhook_delivery_resend"),
]
