from django.core.management import call_command

from integration import tasks
from orders.models import Order
from sellers.models import AmazonAuthorization

from .conftest import SELLER_SP


def test_the_sweep_task_imports_every_authorized_seller(amazon, sp_seller):
    tasks.import_all_orders_task()  # django-q runs inline in tests
    assert Order.objects.filter(seller=sp_seller).count() == 4


def test_the_import_command_reports_what_it_did(amazon, sp_seller, capsys):
    call_command("import_orders", SELLER_SP)
    assert "created=4" in capsys.readouterr().out


def test_the_connection_task_records_the_check(amazon, sp_seller):
    tasks.test_connection_task(sp_seller.pk)
    assert AmazonAuthorization.objects.get(seller=sp_seller).last_success_at is not None
