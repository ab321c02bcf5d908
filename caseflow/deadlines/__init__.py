"""Deadlines: statutory time limits as rows, opened and closed by case transitions."""
