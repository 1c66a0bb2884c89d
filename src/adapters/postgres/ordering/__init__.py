"""PostgreSQL adapters of buying: tables, repositories, the unit of work, the fake payment gateway."""
