"""State machines of the product, one module per workflow."""
