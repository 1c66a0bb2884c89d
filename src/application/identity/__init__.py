"""Identity use cases: signup, activation, login, sessions, profile and staff administration."""
