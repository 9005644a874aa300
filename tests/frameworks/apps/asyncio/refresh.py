"""Refreshes a cache; asyncio.run() is nested inside a running loop."""

import asyncio


async def load():
    await asyncio.sleep(0)
    return {"rates": 3}


async def refresh():
    cache = asyncio.run(load())
    print("cache:", cache)


asyncio.run(refresh())
