"""Machinery for the permission matrix: the site's named URLs, Django admin's rows, and one
request per cell inside a savepoint that is rolled back, so no cell changes the next one."""

import re
from http.cookies import SimpleCookie

from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.permission_table import ADMIN_LOGIN, LOGIN, ROWS, SET_UP_TWO_FACTOR
from tests.signing_in import TwoFactorClient

ADMIN_KWARGS = {"app_label": "accounts", "url": "nowhere/"}  # any other parameter gets "1"


def named_urls(resolver=None, namespace=None) -> dict[str, str]:
    """Every named URL in the resolver tree: full name (with namespaces) → route."""
    names = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            names.update(named_urls(pattern, inner))
        elif isinstance(pattern, URLPattern) and pattern.name:
            names[f"{namespace}:{pattern.name}" if namespace else pattern.name] = str(pattern.pattern)
    return names


def admin_names() -> list[str]:
    return sorted(name for name in named_urls() if name.startswith("admin:"))


def admin_url(name: str) -> str:
    parameters = re.findall(r"<(?:\w+:)?(\w+)>", named_urls()[name])
    return reverse(name, kwargs={key: ADMIN_KWARGS.get(key, "1") for key in parameters})


def missing_rows() -> list[str]:
    """Named URLs with no row in the table (Django admin's pages have generated rows)."""
    covered = {row.name for row in ROWS}
    return sorted(name for name in named_urls() if name not in covered and not name.startswith("admin:"))


def client_for(user) -> TwoFactorClient:
    client = TwoFactorClient(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def outcome(response):
    """The response's status, with redirects to a sign-in page named as such."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location == reverse("mfa_activate_totp"):
            return SET_UP_TWO_FACTOR
    return response.status_code


def request_cell(client, method: str, url: str, data: dict):
    """One request whose database changes are rolled back afterwards; counters in the cache
    (rate limits) are cleared too, and the client keeps its cookies (signing out or switching
    language in one cell must not change the next)."""
    return outcome(request_cell_response(client, method, url, data))


def request_cell_response(client, method: str, url: str, data: dict):
    """request_cell's request, answering with the response itself."""
    cache.clear()
    cookies = SimpleCookie()
    cookies.load(client.cookies.output(header="", sep=";"))
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        else:
            response = client.post(url, data)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response
