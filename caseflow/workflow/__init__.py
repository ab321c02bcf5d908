"""Procedure definitions read from workflows/ and the shared `transitions` machine that runs each."""
