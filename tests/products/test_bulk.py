import io

import pytest
from openpyxl import Workbook, load_workbook

from products.bulk import export_fiscal_data, import_fiscal_data
from products.models import Product
from tests.factories import ProductFactory, TaxGroupFactory


@pytest.fixture
def catalog(seller_a, reference_data):
    group = TaxGroupFactory(seller=seller_a, name="Revenda Simples")
    TaxGroupFactory(seller=seller_a, name="Substituição", icms_cst="500")
    return [ProductFactory(seller=seller_a, sku=f"SKU-{i}", ncm="", origin=None, tax_group=group) for i in (1, 2, 3)]


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_semicolon_csv_with_bom_updates_every_product(seller_a, catalog):
    data = "sku;ncm;cest;origem;grupo_tributario\nSKU-1;8517.13.00;;0;Revenda Simples\nSKU-2;38151210;01.001.00;1;Substituição\n"
    report = import_fiscal_data(seller_a, data.encode("utf-8-sig"))
    assert report.ok and (report.rows, report.updated) == (2, 2)
    second = Product.objects.get(sku="SKU-2")
    assert (second.ncm, second.cest, second.origin, second.tax_group.name) == ("38151210", "0100100", 1, "Substituição")
    assert second.fiscal_issues == []


def test_nbm_column_and_comma_delimiter_in_latin1(seller_a, catalog):
    data = "SKU,NBM,Origem\nSKU-3,85171300,2 - Estrangeira\n".encode("latin-1")
    report = import_fiscal_data(seller_a, data)
    assert report.ok
    assert Product.objects.values_list("ncm", "origin").get(sku="SKU-3") == ("85171300", 2)


def test_one_bad_row_applies_nothing_and_names_the_line(seller_a, catalog):
    data = "sku;ncm;origem\nSKU-1;85171300;0\nSKU-2;12345678;0\nSKU-9;85171300;0\nSKU-3;85171300;X\n"
    report = import_fiscal_data(seller_a, data.encode())
    assert not report.ok
    assert [e.split(":")[0].split()[-1] for e in report.errors] == ["3", "4", "5"]
    assert "12345678" in report.errors[0] and "SKU-9" in report.errors[1]
    assert Product.objects.get(sku="SKU-1").ncm == ""


def test_st_tax_group_without_cest_is_a_row_error(seller_a, catalog):
    report = import_fiscal_data(seller_a, b"sku;ncm;grupo_tributario\nSKU-1;85171300;Substituicao\n")
    assert len(report.errors) == 1 and "SKU-1" in report.errors[0]


def test_xlsx_with_numeric_cells_restores_leading_zeros(seller_a, catalog):
    data = xlsx([["SKU", "NCM", "Origem"], ["SKU-1", 1012100, 0], [None, None, None]])
    report = import_fiscal_data(seller_a, data, filename="fiscal.xlsx")
    assert report.ok and report.rows == 1
    assert Product.objects.get(sku="SKU-1").ncm == "01012100"


def test_file_without_a_known_header_is_refused(seller_a, catalog):
    report = import_fiscal_data(seller_a, b"produto;codigo fiscal\nSKU-1;85171300\n")
    assert not report.ok and report.updated == 0


def test_other_sellers_skus_are_not_touched(seller_a, seller_b, catalog):
    ProductFactory(seller=seller_b, sku="SKU-B", ncm="")
    report = import_fiscal_data(seller_a, b"sku;ncm\nSKU-B;85171300\n")
    assert not report.ok and Product.objects.get(sku="SKU-B").ncm == ""


def test_export_round_trips_through_import(seller_a, catalog):
    import_fiscal_data(seller_a, b"sku;ncm;origem\nSKU-1;85171300;0\nSKU-2;85171300;0\nSKU-3;85171300;0\n")
    csv_bytes = export_fiscal_data(seller_a)
    assert csv_bytes.startswith(b"\xef\xbb\xbfsku;ncm;cest;origem;grupo_tributario\nSKU-1;85171300;;0;Revenda Simples")
    assert import_fiscal_data(seller_a, csv_bytes).ok
    sheet = load_workbook(io.BytesIO(export_fiscal_data(seller_a, fmt="xlsx"))).active
    assert [c.value for c in sheet[2]] == ["SKU-1", "85171300", None, "0", "Revenda Simples"]


def test_five_thousand_rows_import_in_one_go(seller_a, reference_data):
    group = TaxGroupFactory(seller=seller_a, name="Geral")
    Product.objects.bulk_create([Product(seller=seller_a, sku=f"M-{i:05d}", title="x", tax_group=group) for i in range(5000)])
    lines = ["sku;ncm;cest;origem;grupo_tributario"] + [f"M-{i:05d};8517.13.00;;0;Geral" for i in range(5000)]
    report = import_fiscal_data(seller_a, "\n".join(lines).encode())
    assert report.ok and report.updated == 5000
    assert Product.objects.for_seller(seller_a).filter(ncm="85171300", origin=0).count() == 5000
