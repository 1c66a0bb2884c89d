"""The 10,000 most common passwords, shipped as package data.

The list is the head of the frequency-ordered common-passwords list that
Django distributes (BSD licence), lower-cased.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files


@cache
def load_common_passwords() -> frozenset[str]:
    raw = files("adapters.security").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(line.strip().lower() for line in gzip.decompress(raw).decode().splitlines() if line.strip())
