"""Texts in the characters the NF-e schema accepts (Latin-1 printable, no edit characters).

The XSD's TString pattern is `[!-ÿ]{1}[ -ÿ]{0,}[!-ÿ]{1}|[!-ÿ]{1}`: no leading/trailing space, nothing outside
U+0020-U+00FF. We transliterate what has an obvious Latin-1 spelling and drop the rest (emoji, other scripts).
"""

import re
import unicodedata

_REPLACEMENTS = {
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u2032": "'",
    "\u2026": "...", "\u20ac": "EUR", "\u2122": "TM", "\u2022": "-", "\u00a0": " ",
    "\u2009": " ", "\u200b": "", "\ufeff": "",
}
_TRANSLATE = str.maketrans(_REPLACEMENTS)
_SPACES = re.compile(r"\s+")


def _latin1_char(char: str) -> str:
    if " " <= char <= "\u00ff" and char != "\x7f":
        return char
    # NFKD splits "ő" into "o" + combining mark and maps compatibility forms (ligatures, full-width) to ASCII.
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if " " <= c <= "\u00ff" and not unicodedata.combining(c) and c != "\x7f")


# Already clean: printable Latin-1 without U+00A0, single spaces inside. Every step of `_clean` leaves such a
# text unchanged (Latin-1 is NFC-stable), and most texts of a note are like this: the per-character loop costs
# ~0.1 ms per note, a third of it on infCpl alone.
_CLEAN = re.compile("[!-~\u00a1-\u00ff]+(?: [!-~\u00a1-\u00ff]+)*")


def clean_text(value: str | None) -> str:
    """Every character in U+0020-U+00FF, spaces collapsed, no leading/trailing space."""
    text = str(value or "")
    return text if _CLEAN.fullmatch(text) else _clean(text)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    text = "".join(_latin1_char(c) if not c.isspace() else " " for c in text)
    return _SPACES.sub(" ", text).strip()


def nfe_text(value: str | None, max_length: int) -> str:
    """`clean_text`, cut to `max_length` at a word boundary when one exists in the second half."""
    text = clean_text(value)
    if len(text) <= max_length:
        return text
    cut = text[: max_length + 1].rsplit(" ", 1)[0] if " " in text[: max_length + 1] else ""
    if len(cut) < max_length // 2:
        cut = text[:max_length]
    return cut[:max_length].rstrip()
