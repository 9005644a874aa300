"""Sends notifications; one coroutine is called without await, so it never runs."""

import asyncio

sent = []


async def notify(user):
    await asyncio.sleep(0)
    sent.append(user)


async def main():
    for user in ["ada", "grace"]:
        notify(user)
    print("sent:", sent)


asyncio.run(main())
