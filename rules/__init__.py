"""Built-in rules, fix templates and the rules JSON Schema (package data)."""
