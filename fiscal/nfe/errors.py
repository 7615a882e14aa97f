"""Errors of the NF-e engine, with messages a seller can act on (pt-BR through gettext)."""


class NfeBuildError(Exception):
    """The order lacks data the NF-e needs. `category` is an `ErrorCategory` value, like pre-flight's."""

    def __init__(self, message: str, *, category: str = "internal"):
        super().__init__(message)
        self.message = message
        self.category = category


class NfeSchemaError(Exception):
    """The XML does not validate against the official XSD; `errors` lists libxml2's messages."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors[:5]))
        self.errors = errors
