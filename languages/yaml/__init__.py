"""The YAML language plugin."""

from homeostasis.languages.yaml.plugin import YamlLanguage

__all__ = ["YamlLanguage"]
