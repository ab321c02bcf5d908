"""执法公示: publishing a case's 行政处罚决定 (《行政处罚法》第四十八条).

`models` (a version per row, withdrawals; written once), `redaction` (the rules of what a person may
not see published), `content` (what is published, built from the issued 决定书), `service` (release,
correct, withdraw; the public reads) and `presenters` (rows of the public pages and feeds).

The package sits beside `documents` and `evidence`, below `cases`: the steps' guards and effects
(`caseflow.cases.guards.publication`, `caseflow.cases.publication_effects`) call it; it never imports
the case engine.
"""
