"""The catalog: stores, their staff, categories, products and stock."""
