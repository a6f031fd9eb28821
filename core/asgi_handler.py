"""Django's HTTP handling under ASGI in one hop into a thread, as under WSGI.

Django's own ASGIHandler runs the middleware chain in the event loop. Most of Django's own
middleware (sessions, CSRF, authentication, messages, locale, security) is written with
MiddlewareMixin, which under ASGI runs each process_request and process_response through
sync_to_async: a hop into a thread and back for each, about twenty for one request. It also
starts a new thread for every request (ThreadSensitiveContext) and sends request_started and
request_finished from the loop, two more hops. On this machine that made a bare view cost
1.7 times the CPU it costs under a WSGI server (bench/results/pages.md).

Here a request is read in the event loop, then everything Django does for it runs in ONE call
in a thread (request_started, the whole middleware chain and the view, and, for a response
that is not streamed, request_finished), and the response is sent from the loop. The thread
is one of a few kept for the purpose and lent to one request at a time, through asgiref's
ThreadSensitiveContext with an executor of ours: every synchronous call made for the request
(a streamed CSV reading a database cursor, core/streaming.py) runs in the same thread with the
same database connection, as in Django's handler, and no other request's work runs there until
this one is done (its response sent).

WebSockets are not Django's business: config/asgi.py routes them to Channels as before.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse
from django.urls import set_script_prefix

# Idle request threads kept beyond this many are stopped; a burst wider than it starts more.
IDLE_THREADS_KEPT = 32


class _RequestThreads:
    """Single-thread executors, each lent to one request at a time. Used only from the event
    loop's thread, so it needs no lock."""

    def __init__(self):
        self._idle: list[ThreadPoolExecutor] = []

    def borrow(self) -> ThreadPoolExecutor:
        if self._idle:
            return self._idle.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    def give_back(self, executor: ThreadPoolExecutor) -> None:
        if len(self._idle) < IDLE_THREADS_KEPT:
            self._idle.append(executor)
        else:
            executor.shutdown(wait=False)


class _Sent(Exception):
    pass


class OneHopASGIHandler(ASGIHandler):
    """An ASGI application for Django's HTTP requests (see the module's docstring)."""

    def __init__(self):
        super().__init__()
        self._threads = _RequestThreads()

    def load_middleware(self, is_async=False):
        # The chain is built for synchronous calls: each middleware runs in its sync mode, in
        # the request's thread, with no adaptation between them.
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        executor = self._threads.borrow()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self._threads.give_back(executor)

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        with closing(body_file):
            response = await sync_to_async(self._respond, thread_sensitive=True)(scope, body_file)
            if not response.streaming:
                # Already closed in the thread: request_finished has run, the database
                # connection is back, and the content is bytes.
                await self.send_response(response, send)
                return
            try:
                await self._stream(response, receive, send)
            finally:
                await sync_to_async(response.close, thread_sensitive=True)()

    def _respond(self, scope, body_file):
        """Everything synchronous a request needs, in the request's thread."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size  # the server chunks for the network
        if not response.streaming:
            response.close()  # request_finished: as WSGI does once the body is out
        return response

    async def _stream(self, response, receive, send):
        """Send a streamed response, stopping when the client goes away (as Django does)."""
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self.listen_for_disconnect(receive))
                await self.send_response(response, send)
                raise _Sent
        except* (_Sent, RequestAborted):
            pass


def get_one_hop_asgi_application() -> OneHopASGIHandler:
    """Like django.core.asgi.get_asgi_application, with the handler above."""
    import django

    django.setup(set_prefix=False)
    return OneHopASGIHandler()
