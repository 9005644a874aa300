"""The HCL / Terraform language plugin."""

from homeostasis.languages.hcl.plugin import HclLanguage

__all__ = ["HclLanguage"]
