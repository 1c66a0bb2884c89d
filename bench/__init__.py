"""The benchmark suite: ``uv run python -m bench [--quick] [--scenario NAME] [--scale N] [--plot]``.

Not a test: CI runs pytest, which only smoke-tests the suite (``tests/bench``).
See docs/performance.md.
"""
