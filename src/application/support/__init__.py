"""Use cases of the support desk: one per module."""
