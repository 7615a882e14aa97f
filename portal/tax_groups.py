"""Tax groups: the codes a group may use, and what a saved group changes for the seller's products and orders.

The checks mirror what SEFAZ rejects (CFOP 5xxx inside the state, 6xxx to another; CSOSN for Simples Nacional,
CST for regime normal; PIS/COFINS CST from the official table), so a wrong group is caught once, here, instead
of once per rejected NF-e.
"""

from products.fiscal_validation import CSOSN_CODES, CST_ICMS_CODES, recheck_blocked_orders, validate_product
from products.models import Product, TaxGroup

# Tabela CST-PIS/COFINS (IN RFB 1.009/2010, Anexo Único): output operations use 01-09 and 49; 50-99 are inputs,
# but 99 ("outras operações") is accepted on outputs as well.
PIS_COFINS_CST = {f"{n:02d}" for n in range(1, 10)} | {"49", "99"}
# Tabela CST-IPI: outputs 50-55 and 99 (00-49 are inputs).
IPI_CST = {"50", "51", "52", "53", "54", "55", "99"}


def icms_codes(*, is_simples: bool) -> list[str]:
    return sorted(CSOSN_CODES if is_simples else CST_ICMS_CODES)


def revalidate_group(group: TaxGroup) -> int:
    """Re-check the products that use this group and re-run pre-flight on the blocked orders with them.

    Returns how many blocked orders were released. The product check runs first so the product list's
    "dados fiscais incompletos" filter no longer shows a product whose only problem was this group.
    """
    products = list(Product.objects.for_seller(group.seller).filter(tax_group=group).select_related("seller", "tax_group"))
    for product in products:
        validate_product(product)
    skus = [product.sku for product in products]
    return recheck_blocked_orders(group.seller, skus=skus) if skus else 0
