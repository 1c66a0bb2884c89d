"""Support desk and audit trail routes."""
