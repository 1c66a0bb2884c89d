"""The support desk: tickets raised by customers and stores, answered by platform staff."""
