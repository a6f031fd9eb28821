"""Scale-out (PRODUCT.md §3): two ASGI server processes share the Redis channel layer, so a
message posted through one reaches a browser connected to the other."""

import asyncio
import json
import re
import urllib.parse
import urllib.request

import pytest
from websockets.asyncio.client import connect

from tests.dialogues.conftest import session_cookie
from tests.dialogues.servers import require_shared_services, web_server

pytestmark = pytest.mark.django_db(transaction=True)


def post_over_http(address: str, cookie: str, thread_pk: int, body: str) -> dict:
    """What a browser does: load the page (CSRF cookie and token), then post the form."""
    page = urllib.request.Request(f"http://{address}/threads/{thread_pk}/", headers={"Cookie": cookie})
    with urllib.request.urlopen(page, timeout=10) as response:
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "body": body}).encode()
    request = urllib.request.Request(
        f"http://{address}/threads/{thread_pk}/messages/",
        data=form,
        headers={"Cookie": f"{cookie}; csrftoken={csrf_cookie}", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.loads(response.read())


async def listen_then_post(listen_on: str, post_to: str, *, reader_cookie, poster_cookie, thread_pk) -> tuple:
    headers = {"Cookie": reader_cookie}
    url = f"ws://{listen_on}/ws/threads/{thread_pk}/"
    async with connect(url, additional_headers=headers, origin=f"http://{listen_on}") as socket:
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "presence"
        posted = await asyncio.to_thread(post_over_http, post_to, poster_cookie, thread_pk, "Från process A")
        while True:
            frame = json.loads(await asyncio.wait_for(socket.recv(), 10))
            if frame["type"] == "message.posted":
                return posted, frame


def test_message_posted_to_one_process_reaches_a_socket_on_the_other(thread_cast):
    require_shared_services()
    reader = session_cookie(thread_cast.observer).decode()
    poster = session_cookie(thread_cast.member).decode()
    with web_server() as process_a, web_server() as process_b:
        posted, frame = asyncio.run(
            listen_then_post(
                process_b, process_a, reader_cookie=reader, poster_cookie=poster, thread_pk=thread_cast.group_thread.pk
            )
        )
    assert frame["id"] == posted["id"]
    assert "Från process A" in frame["html"]
