"""From raw error output to events whose frames point into the workspace."""
