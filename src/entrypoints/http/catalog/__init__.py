"""HTTP routes of merchants, categories, products, stock and public browsing."""
