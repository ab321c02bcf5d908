"""Reminders and overdue alerts raised from deadline rows by the periodic sweep."""
