"""CSV injection guard for catalogue files (OWASP "CSV Injection").

A spreadsheet program opening a CSV file runs a cell that begins with `=`, `+`, `-`, `@`,
a tab or a carriage return as a formula. The CSV export writes such a cell with one
apostrophe in front, which spreadsheets show as text, and the CSV import takes exactly that
apostrophe off again, so export → import gives back the very value. A value that already
begins with apostrophes followed by one of those characters (`'=A1`) gets one more, so the
rule has no exceptions: the import removes one apostrophe from a cell exactly when the
export would have added one.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r")
GUARD = "'"


def _looks_like_formula(text: str) -> bool:
    """True when the text, past any leading apostrophes, begins like a formula."""
    return text.lstrip(GUARD)[:1] in FORMULA_STARTS


def guard_formula(text: str) -> str:
    """The cell as the CSV export writes it: an apostrophe before formula-like text."""
    return GUARD + text if text and _looks_like_formula(text) else text


def unguard_formula(text: str) -> str:
    """The value a CSV cell written by guard_formula stands for."""
    if text.startswith(GUARD) and _looks_like_formula(text):
        return text[1:]
    return text
