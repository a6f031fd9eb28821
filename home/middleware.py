"""The site's own page for answers that Django gives without one."""

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.utils.decorators import sync_and_async_middleware

from home.agenda import forget_count
from home.views import method_not_allowed


def needs_page(response) -> bool:
    # require_POST and friends answer 405 with an empty body; a view that wrote its own keeps it.
    return response.status_code == 405 and not response.streaming and not response.content


@sync_and_async_middleware
def MethodNotAllowedPageMiddleware(get_response):
    """Answers a bodiless 405 with templates/405.html, in the person's language."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request):
            response = await get_response(request)
            if needs_page(response):
                return await sync_to_async(method_not_allowed)(request, response)
            return response

        return async_middleware

    def middleware(request):
        response = get_response(request)
        if needs_page(response):
            return method_not_allowed(request, response)
        return response

    return middleware


def acted(request, response) -> bool:
    user = getattr(request, "user", None)
    return request.method not in ("GET", "HEAD", "OPTIONS") and user is not None and user.is_authenticated


@sync_and_async_middleware
def AgendaCountMiddleware(get_response):
    """After a person's POST (they decided, answered, declared…), the header's agenda count is
    worked out afresh on their next page instead of coming from the cache (home/agenda.py)."""
    if iscoroutinefunction(get_response):

        async def async_middleware(request):
            response = await get_response(request)
            if acted(request, response):
                await sync_to_async(forget_count)(request.user.pk)
            return response

        return async_middleware

    def middleware(request):
        response = get_response(request)
        if acted(request, response):
            forget_count(request.user.pk)
        return response

    return middleware
