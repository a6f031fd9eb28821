"""Served by scripts/web in tests/core/test_client_ip.py: what the production server takes
for the client's address."""


async def application(scope, receive, send):
    """An ASGI application answering with the client address the server gave it."""
    if scope["type"] != "http":
        return
    await receive()
    body = (scope.get("client") or ("none", 0))[0].encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})
