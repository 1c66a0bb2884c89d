"""The demo marketplace of ``commerce seed-demo``: its data, and the seeding through the use cases."""
