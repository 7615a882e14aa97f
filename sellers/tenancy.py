"""One scoped manager for every seller-owned model: the portal and the API fetch only through for_seller()."""

from django.db import models


class SellerQuerySet(models.QuerySet):
    seller_path = "seller"

    def for_seller(self, seller):
        return self.filter(**{self.seller_path: seller})
