"""DANFE (the printed NF-e) as a PDF, by BrazilFiscalReport.

BrazilFiscalReport picks the layout from dhEmi: MOC 7.0 before 2026-12-01, NT 2026.010 from then on. It needs
the nfeProc (NFe + protNFe) to print the authorization protocol; without it the DANFE carries "SEM VALOR FISCAL".
"""

import warnings

from brazilfiscalreport.danfe import Danfe


def render_danfe(nfe_proc_xml: bytes) -> bytes:
    """PDF bytes of the DANFE of an authorized NF-e (the nfeProc as stored in `Invoice.authorized_xml`)."""
    xml = nfe_proc_xml.decode() if isinstance(nfe_proc_xml, (bytes, bytearray, memoryview)) else nfe_proc_xml
    with warnings.catch_warnings():
        # The MOC 7.0 layout warns that it is deprecated; it is still the legal layout before 2026-12-01.
        warnings.simplefilter("ignore", DeprecationWarning)
        return bytes(Danfe(xml=xml).output())
