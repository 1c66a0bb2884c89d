"""Hashing, tokens, secrets, time and ids."""

from adapters.security.argon2_hasher import Argon2PasswordHasher, return_large_blocks_to_the_system
from adapters.security.common_passwords import load_common_passwords
from adapters.security.jwt_tokens import JwtAccessTokens
from adapters.security.system import (
    AsyncioPause,
    HmacSecretDigester,
    SystemClock,
    SystemSecretGenerator,
    Uuid7Generator,
)

__all__ = [
    "Argon2PasswordHasher",
    "AsyncioPause",
    "HmacSecretDigester",
    "JwtAccessTokens",
    "SystemClock",
    "SystemSecretGenerator",
    "Uuid7Generator",
    "load_common_passwords",
    "return_large_blocks_to_the_system",
]
