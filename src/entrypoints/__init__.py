"""Inbound adapters: the HTTP app, the ``commerce`` CLI and the job workers."""
