"""Turning a finding into fixes: templates, regions, indentation, validation."""
