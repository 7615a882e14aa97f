"""Validation against the official XSD shipped in nfelib (PL_010f), each schema compiled once per process."""

from functools import lru_cache
from pathlib import Path

import nfelib
from lxml import etree

from .errors import NfeSchemaError

SCHEMA_DIR = Path(nfelib.__file__).parent / "nfe" / "schemas" / "v4_0"
NFE_SCHEMA = "nfe_v4.00.xsd"


@lru_cache(maxsize=16)
def _schema(file_name: str) -> etree.XMLSchema:
    # Compiling nfe_v4.00.xsd costs ~7 ms; validating a parsed NF-e ~0.07 ms.
    # A bare file name is looked up among the NF-e 4.00 schemas; a relative path under nfelib's package
    # (e.g. "nfe/schemas/v1_0/envEvento_v1.00.xsd") reaches the event schemas.
    path = SCHEMA_DIR / file_name if "/" not in file_name else Path(nfelib.__file__).parent / file_name
    return etree.XMLSchema(etree.parse(str(path)))


def validate_against(xml: bytes | etree._Element, schema_file_name: str) -> None:
    """Raise NfeSchemaError with libxml2's messages when `xml` does not match the schema."""
    tree = xml if isinstance(xml, etree._Element) else etree.fromstring(xml)
    schema = _schema(schema_file_name)
    if not schema.validate(tree):
        raise NfeSchemaError([f"line {e.line}: {e.message}" for e in schema.error_log])


def validate_nfe(xml: bytes | etree._Element) -> None:
    validate_against(xml, NFE_SCHEMA)
