"""The Rust language plugin: panics with backtraces, rustc/cargo/clippy diagnostics, cargo test."""

from homeostasis.languages.rust.plugin import RustLanguage

__all__ = ["RustLanguage"]
