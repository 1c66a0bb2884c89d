"""Delivering what the use cases queued in the outbox."""
