"""Mail: notifications delivered through an SMTP server."""

from adapters.smtp.sender import SmtpNotificationSender, SmtpServer

__all__ = ["SmtpNotificationSender", "SmtpServer"]
