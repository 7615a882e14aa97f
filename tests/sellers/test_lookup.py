import pytest
from django.core.management.base import CommandError

from sellers.lookup import find_seller
from tests.factories import AmazonAuthorizationFactory

pytestmark = pytest.mark.django_db


def test_a_seller_is_found_by_id_masked_cnpj_or_selling_partner_id(seller_a, seller_b):
    AmazonAuthorizationFactory(seller=seller_a, selling_partner_id="A1TESTSPID")
    masked = f"{seller_a.cnpj[:2]}.{seller_a.cnpj[2:5]}.{seller_a.cnpj[5:8]}/{seller_a.cnpj[8:12]}-{seller_a.cnpj[12:]}"
    assert find_seller(str(seller_a.pk)) == seller_a
    assert find_seller(masked) == seller_a
    assert find_seller("A1TESTSPID") == seller_a
    assert find_seller(seller_b.cnpj) == seller_b


def test_an_unknown_seller_says_what_to_give():
    with pytest.raises(CommandError, match="id, CNPJ or selling partner id"):
        find_seller("nobody")
