"""The 案卷 (bound case file) of a case: what goes into it and in which order, its 评查 checklist,
and the bound volumes stored with their SHA-256 at 归档."""
