"""Stdio without a thread per read.

pygls reads stdin through a thread pool: every header line and every body is a round
trip to a worker thread, a measurable share of a keystroke's latency on a busy machine.
Where stdin is a pipe (always, when an editor starts the server) the event loop reads it
directly; anything else falls back to pygls's own reader. The message loop itself is
pygls's (``run_async``), unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import TYPE_CHECKING, BinaryIO

from pygls.io_ import StdinAsyncReader, StdoutWriter, run_async

if TYPE_CHECKING:
    from homeostasis.lsp.server import HomeostasisServer

log = logging.getLogger("homeostasis.lsp")
MAX_MESSAGE = 1 << 30


class PipeReader:
    """pygls's AsyncReader over an asyncio stream; EOF reads as b"" as pygls expects."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream

    async def readline(self) -> bytes:
        try:
            return await self.stream.readline()
        except (ValueError, asyncio.LimitOverrunError):
            return b""

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self.stream.readexactly(n)
        except asyncio.IncompleteReadError as exc:
            return exc.partial


async def _reader(server: HomeostasisServer, stdin: BinaryIO) -> PipeReader | StdinAsyncReader:
    loop = asyncio.get_running_loop()
    stream = asyncio.StreamReader(limit=MAX_MESSAGE)
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), stdin)
    except (ValueError, OSError, NotImplementedError) as exc:  # a file, a tty, Windows...
        log.info("stdin is not a pipe (%s): reading it with threads", exc)
        return StdinAsyncReader(stdin, server.thread_pool)
    return PipeReader(stream)


async def _serve(server: HomeostasisServer, stop: threading.Event) -> None:
    reader = await _reader(server, sys.stdin.buffer)
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    await run_async(
        stop_event=stop,
        reader=reader,
        protocol=server.protocol,
        logger=log,
        error_handler=server.report_server_error,
    )


def serve_stdio(server: HomeostasisServer) -> None:
    """Serve until the client sends ``exit`` or goes away (EOF)."""
    stop = threading.Event()
    server.use_stop_event(stop)
    try:
        asyncio.run(_serve(server, stop))
    except BrokenPipeError:
        log.info("the client went away")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
