"""Outbound adapters: PostgreSQL, Redis and the other technologies behind the ports."""
