"""Small display helpers shared by the admin screens: days left, coloured when under 30."""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _


def days_left_badge(days: int) -> str:
    if days < 0:
        colour, text = "#b00020", _("expired %(n)d days ago") % {"n": -days}
    else:
        colour = "#b00020" if days <= 7 else "#c77700" if days < 30 else "#1b7f3b"
        text = _("%(n)d days left") % {"n": days}
    return format_html('<strong style="color:{}">{}</strong>', colour, text)


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M") if dt else "-"
