"""Which database errors mean "unavailable, retry" (a 503) rather than a bug (a 500)."""

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from adapters.postgres.errors import connection_failures, is_connection_failure
from application.ports import StorageUnavailable


def _wrapped(driver_error: Exception, *, invalidated: bool = False) -> DBAPIError:
    """What SQLAlchemy raises: its DBAPIError around the dialect's adapted error, raised from the driver's."""
    adapted = Exception(str(driver_error))
    adapted.__cause__ = driver_error
    return DBAPIError("SELECT 1", None, adapted, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "Connection refused"),
        ConnectionResetError(104, "Connection reset by peer"),
        TimeoutError(),
        PoolTimeout("QueuePool limit reached"),
        _wrapped(asyncpg.exceptions.CannotConnectNowError("the database system is starting up")),
        _wrapped(asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command")),
        _wrapped(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation")),
        _wrapped(asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already")),
        _wrapped(Exception("connection is closed"), invalidated=True),
    ],
)
def test_a_lost_or_refused_connection_is_unavailable(error):
    assert is_connection_failure(error)
    with pytest.raises(StorageUnavailable) as raised, connection_failures():
        raise error
    assert raised.value.__cause__ is error


@pytest.mark.parametrize(
    "error",
    [
        ValueError("not a database error"),
        _wrapped(asyncpg.exceptions.UndefinedColumnError("column does not exist")),
        IntegrityError("INSERT", None, asyncpg.exceptions.UniqueViolationError("duplicate key")),
    ],
)
def test_other_errors_stay_what_they_are(error):
    assert not is_connection_failure(error)
    with pytest.raises(type(error)), connection_failures():
        raise error
