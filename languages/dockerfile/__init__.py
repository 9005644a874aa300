"""The Dockerfile language plugin."""

from homeostasis.languages.dockerfile.plugin import DockerfileLanguage

__all__ = ["DockerfileLanguage"]
