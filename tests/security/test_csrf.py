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
        if row.name in EXEMPT:
            continue
        url = reverse(row.name, kwargs=row.kwargs(world, world.A))
        status = request_cell(client, "post", url, row.data(world, world.A))
        if status != 403:
            accepted.append(f"POST {url} ({row.label}): {status}")
    assert not accepted, "Accepted without a CSRF token:\n" + "\n".join(accepted)


def test_the_exemption_list_names_real_urls():
    assert EXEMPT <= {row.name for row in ROWS}


def test_a_post_with_the_token_goes_through(world):
    """The check above cannot pass by refusing everything: with the token the same client is served."""
    client = csrf_client(world.users["member"])
    page = client.get(reverse("notifications:notification-list"))
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value
    response = client.post(reverse("notifications:notification-read-all"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
