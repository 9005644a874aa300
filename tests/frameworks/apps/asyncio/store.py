"""Saves items; `save` is a plain function but is awaited."""

import asyncio

saved = []


def save(item):
    saved.append(item)


async def main():
    for item in ["pen", "ink"]:
        await save(item)
    print("saved:", saved)


asyncio.run(main())
