"""Gap-free number sequences per agency, kind and year (案号, and 文号 of documents)."""
