"""The NF-e 4.00 engine: inputs -> taxes -> XML (nfelib bindings) -> signature -> XSD validation.

Everything below `fiscal.nfe` except `from_order` and `issue` is independent of Django models, so the
benchmark and the property tests run on plain dataclasses.
"""
