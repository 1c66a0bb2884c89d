"""Adapters that talk to the developer's terminal (or the log) instead of the outside world."""

from adapters.console.notifications import ConsoleNotificationSender, LogNotificationSender

__all__ = ["ConsoleNotificationSender", "LogNotificationSender"]
