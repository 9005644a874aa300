"""The Kotlin language plugin."""

from homeostasis.languages.kotlin.plugin import KotlinLanguage

__all__ = ["KotlinLanguage"]
