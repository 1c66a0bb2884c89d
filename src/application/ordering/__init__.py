"""Use cases of buying: one per module."""
