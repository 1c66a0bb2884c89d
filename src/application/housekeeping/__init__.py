"""Keeping the database small: deleting rows past their use."""
