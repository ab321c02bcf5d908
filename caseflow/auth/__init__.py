"""Authentication: argon2 passwords, login with throttling, signed session cookies and CSRF tokens."""
