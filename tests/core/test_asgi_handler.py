"""core/asgi_handler.py: Django's HTTP handling in one hop into a thread per request.

Each test sends real ASGI messages to the handler (as uvicorn does) and checks where the work
ran: everything synchronous for one request in one thread that is not the event loop's, the
middleware chain built without adaptation, a thread lent to one request at a time (a streamed
response keeps its thread and its database connection until it is sent), and Django's
behaviour kept: request_started and request_finished, 400 for an undecodable request, a
stream stopped when the client goes away."""

import asyncio
import threading
import time

import pytest
from asgiref.sync import iscoroutinefunction, sync_to_async
from django.contrib.auth.decorators import login_not_required
from django.core import signals
from django.db import connection
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

from core.asgi_handler import OneHopASGIHandler

seen: dict[str, list] = {}


def note(what: str) -> None:
    seen.setdefault(what, []).append(threading.get_ident())


@login_not_required
def plain(request):
    note("view")
    return HttpResponse(b"plain", content_type="text/plain")


@login_not_required
def slow(request):
    note("slow")
    time.sleep(0.3)
    return HttpResponse(b"slow")


@login_not_required
def streamed_from_the_database(request):
    """Each chunk asks the database, in the thread the view ran in (as core/streaming.py's
    chunks do), with the connection the view used."""
    note("stream-view")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    view_connection = id(connection.connection)

    async def chunks():
        for number in range(3):
            same = await sync_to_async(lambda: (note("chunk"), id(connection.connection) == view_connection)[1])()
            yield f"{number}:{same};".encode()
            await asyncio.sleep(0.1)

    return StreamingHttpResponse(chunks(), content_type="text/plain")


@login_not_required
def endless(request):
    async def chunks():
        while True:
            note("endless-chunk")
            yield b"x" * 1024
            await asyncio.sleep(0.01)

    return StreamingHttpResponse(chunks())


urlpatterns = [
    path("plain/", plain),
    path("slow/", slow),
    path("stream/", streamed_from_the_database),
    path("endless/", endless),
]

pytestmark = [pytest.mark.urls(__name__)]


@pytest.fixture(autouse=True)
def clean_notes():
    seen.clear()
    yield
    seen.clear()


@pytest.fixture
def signals_noted():
    def started(**kwargs):
        note("request_started")

    def finished(**kwargs):
        note("request_finished")

    signals.request_started.connect(started)
    signals.request_finished.connect(finished)
    yield
    signals.request_started.disconnect(started)
    signals.request_finished.disconnect(finished)


class Exchange:
    """One HTTP request sent to an ASGI application as a server sends it."""

    def __init__(self, path: str, *, query_string: bytes = b"", disconnect_after: float | None = None):
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query_string,
            "root_path": "",
            "headers": [(b"host", b"testserver")],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        self.disconnect_after = disconnect_after
        self.sent: list[dict] = []
        self._requested = False

    async def receive(self):
        if not self._requested:
            self._requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        if self.disconnect_after is None:
            await asyncio.Event().wait()  # the client stays
        await asyncio.sleep(self.disconnect_after)
        return {"type": "http.disconnect"}

    async def send(self, message):
        self.sent.append(message)

    async def run(self, application):
        await asyncio.wait_for(application(self.scope, self.receive, self.send), 10)
        return self

    @property
    def status(self) -> int:
        return self.sent[0]["status"]

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])


@pytest.fixture
def application():
    return OneHopASGIHandler()


def test_the_middleware_chain_is_built_for_one_synchronous_call(application, caplog, settings):
    settings.DEBUG = True  # Django says which handlers it adapts only when DEBUG is on
    caplog.set_level("DEBUG", logger="django.request")
    adapted = OneHopASGIHandler()
    assert not iscoroutinefunction(adapted._middleware_chain)
    assert not [r for r in caplog.records if "adapted" in r.getMessage()], [r.getMessage() for r in caplog.records]


@pytest.mark.django_db
@pytest.mark.asyncio
async def test_a_request_runs_in_one_thread_that_is_not_the_event_loops(application, signals_noted):
    exchange = await Exchange("/plain/").run(application)
    assert (exchange.status, exchange.body) == (200, b"plain")
    threads = {what: set(idents) for what, idents in seen.items()}
    assert threads["request_started"] == threads["view"] == threads["request_finished"]
    assert threads["view"] != {threading.get_ident()}


@pytest.mark.django_db
@pytest.mark.asyncio
async def test_threads_are_lent_again_rather_than_started_for_each_request(application):
    for _ in range(5):
        await Exchange("/plain/").run(application)
    assert len(set(seen["view"])) == 1


@pytest.mark.django_db
@pytest.mark.asyncio
async def test_requests_at_the_same_time_each_have_a_thread(application):
    await asyncio.gather(*(Exchange("/slow/").run(application) for _ in range(3)))
    assert len(set(seen["slow"])) == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_streamed_response_keeps_its_thread_and_connection_until_it_is_sent(application, signals_noted):
    streaming = asyncio.create_task(Exchange("/stream/").run(application))
    await asyncio.sleep(0.05)  # the view has run; its chunks are still to come
    others = await asyncio.gather(*(Exchange("/plain/").run(application) for _ in range(3)))
    exchange = await streaming
    assert exchange.status == 200 and all(o.status == 200 for o in others)
    assert exchange.body == b"0:True;1:True;2:True;"
    assert set(seen["chunk"]) == set(seen["stream-view"])  # chunks in the view's thread
    assert not set(seen["view"]) & set(seen["stream-view"])  # nobody else's work ran there meanwhile
    # request_finished for the stream came after its last chunk, in its thread.
    assert seen["request_finished"].count(seen["stream-view"][0]) == 1


@pytest.mark.django_db
@pytest.mark.asyncio
async def test_a_stream_stops_when_the_client_goes_away(application, signals_noted):
    exchange = await Exchange("/endless/", disconnect_after=0.1).run(application)
    assert exchange.status == 200
    chunks = len(seen["endless-chunk"])
    await asyncio.sleep(0.1)
    assert len(seen["endless-chunk"]) == chunks  # nothing more is produced
    assert "request_finished" in seen  # and the response was closed


@pytest.mark.django_db
@pytest.mark.asyncio
async def test_an_undecodable_query_string_gets_400_and_no_view(application, signals_noted):
    exchange = await Exchange("/plain/", query_string=b"q=\xff").run(application)
    assert exchange.status == 400
    assert "view" not in seen and "request_started" in seen
