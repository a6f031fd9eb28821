"""Values that views read from a request by hand (outside a form), checked the same way
everywhere: a bad value is treated as a missing one, never a 500."""

from django.utils.http import url_has_allowed_host_and_scheme


def posted_pk(request, name: str) -> int | None:
    """The primary key posted under `name`, or None when it is not a whole number (the caller
    looks it up and answers 404 as for an id that does not exist)."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def local_next(request, value: str) -> str | None:
    """`value` if it is a path on this site (for a "next" parameter), else None: no other host,
    no scheme, no protocol-relative //host, no backslash tricks."""
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    allowed = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if allowed else None
