"""The 违法明细 (itemised detail) of one violation of a 医保 fraud case: the rows that show what was
charged and what the 医疗保障基金 paid for it, item by item, and from which the violation's amounts
are summed — never a figure typed beside them.

`details` owns the row type (`DetailRow`), its typing and checking from what people enter or import
(`parse_rows`: every error of every row at once, numbered as in their file), the sums (`totals`,
`fund_split_text`), the masking of 参保人 names (the full name is never kept) and the rows' JSON
form for a column. `importer` owns reading an .xlsx or .csv into raw rows (the header recognised
among the names hospitals' and 医保 systems' exports use) and the blank template people fill in.

Pure functions: no database, no web; the service layer, the CLI and the web call them.
"""

from caseflow.violations.details import (
    FUNDS,
    MAX_ROWS,
    DetailRow,
    Totals,
    from_json,
    fund_split_text,
    mask_name,
    parse_rows,
    to_json,
    totals,
)

__all__ = ["FUNDS", "MAX_ROWS", "DetailRow", "Totals", "from_json", "fund_split_text", "mask_name",
           "parse_rows", "to_json", "totals"]
