"""Read models the pages and the API list from: one query per list (no query per row), paginated.

Candidates for `caseflow/cases/queries.py` once the CLI needs them too.
"""
