"""Buying: carts, checkouts, orders per store, payments, invoices and the merchants' ledger."""
