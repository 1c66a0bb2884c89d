"""HTTP routes of buying: cart, checkouts, orders, store orders and balance, staff orders."""
