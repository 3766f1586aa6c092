"""Turn command groups beyond the core build into Click commands registered on the main CLI."""
