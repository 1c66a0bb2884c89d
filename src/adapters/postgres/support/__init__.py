"""PostgreSQL adapters of the support desk (tickets, their messages, the desk's numbers)."""
