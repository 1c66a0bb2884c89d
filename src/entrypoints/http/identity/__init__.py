"""HTTP routes of accounts, sessions and staff administration."""
