"""HTTP routes of stores, categories, products, stock and public browsing."""
