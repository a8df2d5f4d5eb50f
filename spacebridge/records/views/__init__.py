"""Pages of the exchange registry, one module per subject."""
