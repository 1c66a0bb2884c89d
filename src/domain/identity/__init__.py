"""Identity: who people are on the platform, what they may do, and how they prove it."""
