"""caseflow: case-workflow engine for 行政处罚 and 行政强制 (封存) at county 医疗保障局."""

__version__ = "0.1.0"
