"""The Go language plugin: goroutine dumps, compiler/vet diagnostics and `go test` failures."""

from homeostasis.languages.go.plugin import GoLanguage

__all__ = ["GoLanguage"]
