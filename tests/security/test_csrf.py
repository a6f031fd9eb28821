"""CSRF on every POST: a browser that does not send the token gets 403, on every URL of the
matrix, for a signed-in person allowed to use it and for a visitor."""

import pytest
from django.urls import reverse

from tests.security.matrix import request_cell
from tests.security.permission_table import ROWS
from tests.signing_in import TwoFactorClient

# One-click unsubscribe (RFC 8058): mail programs POST without a token; the signed token in
# the URL is the authority, and it only turns e-mail off.
EXEMPT = {"notifications:unsubscribe"}
# The open data API authenticates no one (no session, no cookie is read) and only reads: a
# forged POST has no one to act as and nothing to change. It answers 405 (tests/api/test_api.py:
# test_the_api_is_read_only). Its documentation page is a site page, held to the token.
READ_ONLY_API = {row.name for row in ROWS if row.name.startswith("api:") and row.name != "api:docs"}


def csrf_client(user):
    client = TwoFactorClient(enforce_csrf_checks=True, raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "supplier", "facilitator"])
def test_every_post_without_a_token_is_refused(world, role):
    client = csrf_client(world.users[role])
    accepted = []
    for row in ROWS:
        if row.name in EXEMPT or row.name in READ_ONLY_API:
            continue
        url = reverse(row.name, kwargs=row.kwargs(world, world.A))
        status = request_cell(client, "post", url, row.data(world, world.A))
        if status != 403:
            accepted.append(f"POST {url} ({row.label}): {status}")
    assert not accepted, "Accepted without a CSRF token:\n" + "\n".join(accepted)


def test_the_exemption_list_names_real_urls():
    assert EXEMPT <= {row.name for row in ROWS}
    assert len(READ_ONLY_API) >= 9


def test_the_read_only_api_refuses_every_post(world):
    """What the exemption rests on: without a token, with a session, every POST to the API is 405
    and the answer is the public one's."""
    client = csrf_client(world.users["coordinator"])
    for row in ROWS:
        if row.name in READ_ONLY_API:
            url = reverse(row.name, kwargs=row.kwargs(world, world.A))
            assert request_cell(client, "post", url, row.data(world, world.A)) == 405, url


def test_a_post_with_the_token_goes_through(world):
    """The check above cannot pass by refusing everything: with the token the same client is served."""
    client = csrf_client(world.users["member"])
    page = client.get(reverse("notifications:notification-list"))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    response = client.post(reverse("notifications:notification-read-all"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
