"""Waiting for what a test waits for, by its observable state and with a deadline, rather than
a fixed sleep (too long on a quiet machine, too short on a busy one). A sleep whose purpose is
to let time pass (to show that nothing happens meanwhile) stays a sleep, with a comment."""

import asyncio
import inspect
import time


def wait_until(predicate, *, timeout=10.0, every=0.05, message=""):
    """Call predicate() until it returns something true, and return that; fail after `timeout`
    seconds naming what did not happen."""
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message or predicate.__name__}")
        time.sleep(every)
    return result


async def wait_until_async(predicate, *, timeout=10.0, every=0.02, message=""):
    """wait_until inside the event loop: predicate() may be a coroutine function; the loop runs
    other tasks between the checks."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message or predicate.__name__}")
        await asyncio.sleep(every)
