"""Administrator-maintained holiday data: day overrides and declared years (国务院办公厅放假通知)."""
