"""Cursor pagination: a page's `next` address stays right while objects are added and changed,
which offsets do not. Objects come in the order of their ids, which never change; a client that
keeps up uses updated_since."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from api.filters import MAX_PAGE_SIZE


class IdCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = 20
    page_size_query_param = "limit"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = gettext_lazy("The page to fetch: the next or previous address gives it.")
    page_size_query_description = gettext_lazy("Objects per page, 1–100 (20 if not given).")

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {"cursor": [_("The cursor is not valid: start again from the first page.")]}
            ) from None

    def get_paginated_response_schema(self, schema):
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        if links:
            response["Link"] = ", ".join(links)
        return response
