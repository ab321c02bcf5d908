"""The web fixtures (the test organisation with passwords) for the authentication tests."""

from tests.web.conftest import password_hash, web_org  # noqa: F401
