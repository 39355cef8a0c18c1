"""Entity mentions and their resolution to the alias table."""
