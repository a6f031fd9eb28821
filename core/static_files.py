"""Static files under WSGI and ASGI alike. WhiteNoise's middleware (whitenoise 6.12) is
synchronous only, and high in MIDDLEWARE: under ASGI Django would run it and everything below it
in a thread, and the chain's asynchronous middleware from there in a blocked worker thread
(async_to_sync).

StaticFilesMiddleware is WhiteNoise's own middleware under WSGI. Under ASGI it looks the path up
in WhiteNoise's table of files (built once at start-up; autorefresh is off in production) on the
event loop, answers a hit with WhiteNoise's own response, headers and compressed variants
included, in one sync_to_async call that reads the file too (Django would otherwise read a
synchronous body in a thread of its own afterwards, with a warning), and passes every other
request straight on. With autorefresh (DEBUG) WhiteNoise looks on disk: a path under one of its
prefixes is looked up in that same one call.

It leans on WhiteNoise's table (`files`), `autorefresh`, `find_file`, `directories`,
`static_prefix` and `serve`: tests/test_patched_internals.py pins them, and tests/core/
test_static_files.py compares the answers of both modes with WhiteNoise's."""

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.utils.decorators import sync_and_async_middleware
from whitenoise.middleware import WhiteNoiseMiddleware


async def _body(content: bytes):
    yield content


def _serve(static_file, request):
    """WhiteNoise's answer to the request, its body read (static files are small)."""
    response = WhiteNoiseMiddleware.serve(static_file, request)
    content = b"".join(response.streaming_content)
    if response.file_to_stream is not None:
        response.file_to_stream.close()
    response.streaming_content = _body(content)  # sent by the event loop as it is
    return response


def _find_and_serve(whitenoise, request):
    static_file = whitenoise.find_file(request.path_info)
    return None if static_file is None else _serve(static_file, request)


def _may_be_on_disk(whitenoise, path: str) -> bool:
    prefixes = [whitenoise.static_prefix, *(prefix for _root, prefix in whitenoise.directories)]
    return path.startswith(tuple(prefixes))


@sync_and_async_middleware
def StaticFilesMiddleware(get_response):
    """In MIDDLEWARE where WhiteNoise's middleware would be (see the module's docstring)."""
    whitenoise = WhiteNoiseMiddleware(get_response)
    if not iscoroutinefunction(get_response):
        return whitenoise

    async def async_middleware(request):
        path = request.path_info
        if whitenoise.autorefresh:
            if _may_be_on_disk(whitenoise, path):
                response = await sync_to_async(_find_and_serve)(whitenoise, request)
                if response is not None:
                    return response
            return await get_response(request)
        static_file = whitenoise.files.get(path)
        if static_file is None:
            return await get_response(request)
        return await sync_to_async(_serve)(static_file, request)

    return async_middleware
