from django.apps import AppConfig


class FiscalConfig(AppConfig):
    name = "fiscal"
    default_auto_field = "django.db.models.BigAutoField"
