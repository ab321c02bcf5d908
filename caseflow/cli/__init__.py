"""The `caseflow` command line: a thin translation of arguments into service calls."""
