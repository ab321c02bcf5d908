"""The web application: server-rendered Jinja2 pages and a REST API over the same services."""
