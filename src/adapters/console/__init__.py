"""Adapters that talk to the developer's terminal instead of the outside world."""

from adapters.console.notifications import ConsoleNotificationSender

__all__ = ["ConsoleNotificationSender"]
