"""The Homeostasis language server (``homeostasis lsp``): a thin adapter from LSP to the engine."""

from __future__ import annotations

import logging
import os
import sys
import warnings


def _configure_logging(log_file: str | None) -> None:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING, handlers=handlers, format="%(asctime)s %(name)s %(message)s")
    level = (
        logging.DEBUG
        if os.environ.get("HOMEOSTASIS_LSP_DEBUG")
        else logging.INFO
        if log_file
        else logging.WARNING
    )
    logging.getLogger("homeostasis").setLevel(level)
    # pygls logs every message it sends at INFO: far too much even for a log file.
    logging.getLogger("pygls").setLevel(logging.WARNING)


def run_server(tcp: str | None = None, log_file: str | None = None) -> int:
    """Serve LSP over stdio, or over TCP (``HOST:PORT``) for debugging."""
    _configure_logging(log_file)
    # Validating a fix compiles the user's code; its SyntaxWarnings ("is" with a literal...)
    # are about the user's code, not the server, and would flood the editor's server log.
    warnings.simplefilter("ignore", SyntaxWarning)
    from homeostasis.lsp.features import register
    from homeostasis.lsp.server import HomeostasisServer

    server = HomeostasisServer()
    register(server)
    profile = os.environ.get("HOMEOSTASIS_LSP_PROFILE")  # a cProfile dump, for finding slow paths
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    try:
        if tcp:
            host, _, port = tcp.rpartition(":")
            if not port.isdigit():
                print(f"homeostasis lsp: --tcp expects HOST:PORT, got {tcp!r}", file=sys.stderr)
                return 2
            server.start_tcp(host or "127.0.0.1", int(port))
        else:
            from homeostasis.lsp.transport import serve_stdio

            serve_stdio(server)
    finally:
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
    return 0


__all__ = ["run_server"]
