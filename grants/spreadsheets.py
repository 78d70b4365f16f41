"""Text for the CSV files staff open in a spreadsheet: shown as text, never run as a formula.

Excel and LibreOffice read a cell that starts with `=`, `+`, `-` or `@` as a formula
(`=HYPERLINK(...)` becomes a link, others reach further), also behind a leading tab or
carriage return or spaces. Team-entered text (an account holder, a reason) goes into
payout batches, the money overview and the audit log, so every text cell of every CSV
export goes through `spreadsheet_text`. Amounts, dates and IBANs are written as they are:
a negative amount must stay a number, and they are never free text.

The XLSX export needs no such prefix: it writes every text as an inline string
(`t="inlineStr"`), which a spreadsheet never evaluates; only an `<f>` element is a formula.
"""

FORMULA_STARTS = ("=", "+", "-", "@")
SKIPPED_BEFORE_A_FORMULA = " \t\r\n"
_SUSPECT_FIRST = frozenset("".join(FORMULA_STARTS) + SKIPPED_BEFORE_A_FORMULA)


def spreadsheet_text(value) -> str:
    """`value` as text, with an apostrophe in front when a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    if not text or text[0] not in _SUSPECT_FIRST:  # nearly every cell: one set lookup (100,000-row batches)
        return text
    if text[0] in "\t\r" or text.lstrip(SKIPPED_BEFORE_A_FORMULA).startswith(FORMULA_STARTS):
        return "'" + text
    return text
