"""Catalog use cases: stores and their staff, categories, products, stock, public browsing."""
