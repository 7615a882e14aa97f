"""The SEFAZ web services: authorizer table, mutual-TLS SOAP 1.2 transport, hardened replies, the client."""
