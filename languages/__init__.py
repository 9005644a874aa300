"""Built-in language plugins, registered through the homeostasis.languages entry points."""
