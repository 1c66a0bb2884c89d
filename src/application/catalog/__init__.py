"""Catalog use cases: merchants and their staff, categories, products, stock, public browsing."""
