"""Routers: `pages_*` render HTML, `api_*` serve JSON under /api; both call the same services."""
