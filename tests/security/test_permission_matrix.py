"""The whole permission matrix (PRODUCT.md §4): every role × every named URL × GET and POST,
from one table (permission_table.py). A URL without a row fails test_every_url_has_a_row."""

import os

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import person_at, with_totp
from tests.security.matrix import (
    admin_names,
    admin_url,
    client_for,
    missing_rows,
    request_cell,
)
from tests.security.permission_table import ADMIN_LOGIN, LOGIN, NOT_ALLOWED, ROWS, STAFF_ADMIN
from tests.security.world import ROLES
from tests.signing_in import TwoFactorClient

DISCOVER = os.environ.get("SECURITY_MATRIX_DISCOVER") == "1"


def test_every_url_has_a_row():
    missing = missing_rows()
    assert not missing, "These named URLs have no row in tests/security/permission_table.py: " + ", ".join(missing)


def test_a_new_view_without_a_row_is_named(settings):
    settings.ROOT_URLCONF = "tests.security.urls_with_a_new_view"
    assert missing_rows() == ["reports:report-list"]


def test_every_row_names_a_url():
    from tests.security.matrix import named_urls

    unknown = sorted({row.name for row in ROWS} - set(named_urls()))
    assert not unknown, f"Rows for URLs that no longer exist: {unknown}"


def cells(world, role):
    client = client_for(world.users[role])
    for row in ROWS:
        url = reverse(row.name, kwargs=row.kwargs(world, world.A))
        for method in ("get", "post"):
            data = row.data(world, world.A) if method == "post" else {}
            yield row, method, url, request_cell(client, method, url, data)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role):
    wrong = []
    for row, method, url, status in cells(world, role):
        expected = getattr(row, method)
        if DISCOVER or expected is None:
            print(f"CELL {row.label} {method} {role} {status}")
            continue
        if status != expected[role]:
            wrong.append(f"{method.upper()} {url} ({row.label}): expected {expected[role]}, got {status}")
    assert not wrong, f"{len(wrong)} cells differ for {role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_staff_only(world, role):
    """Nobody in the cast is staff: every admin page sends them to sign in (anonymous visitors
    to the site's sign-in, signed-in people to the admin's)."""
    client = client_for(world.users[role])
    expected = {LOGIN, ADMIN_LOGIN} if role == "anonymous" else {ADMIN_LOGIN}
    wrong = []
    for name in admin_names():
        if name in {"admin:login", "admin:logout", "admin:jsi18n", "admin:view_on_site"}:
            continue
        url = admin_url(name)
        for method in ("get", "post"):
            status = request_cell(client, method, url, {})
            if status not in expected:
                wrong.append(f"{method.upper()} {url} ({name}): got {status}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("state", STAFF_ADMIN)
def test_the_admin_for_a_staff_facilitator(world, state):
    """Staff, by how the session was made (permission_table.STAFF_ADMIN): only a session that
    entered the authenticator code reaches the admin."""
    staff = person_at(world.users["facilitator"].affiliations.get().organisation, is_staff=True, is_superuser=True)
    if state != "no authenticator app":
        with_totp(staff)
    client = TwoFactorClient(raise_request_exception=False) if state == "both steps" else Client()
    client.force_login(staff)
    outcome = {name: request_cell(client, "get", reverse(name), {}) for name in STAFF_ADMIN[state]}
    assert outcome == STAFF_ADMIN[state]


def foreign_cells(world):
    """Group A's URLs with group B's objects in them: the inner ids of the URL (everything after
    the first parameter) taken from B, or a POST body naming B's objects."""
    for row in ROWS:
        if not row.foreign:
            continue
        own, theirs = row.kwargs(world, world.A), row.kwargs(world, world.B)
        keys = list(own)
        mixed = {keys[0]: own[keys[0]], **{key: theirs[key] for key in keys[1:]}} if keys else own
        if mixed != own:
            yield row, "get", mixed, {}
            yield row, "post", mixed, row.data(world, world.A)
        if row.data(world, world.B) != row.data(world, world.A):
            yield row, "post", own, row.data(world, world.B)


@pytest.mark.parametrize("role", ["member", "coordinator", "observer", "supplier", "facilitator"])
def test_foreign_ids_are_refused(world, role):
    """An object of group B reached through group A's URL (or named in a form posted there) is
    refused, even for A's coordinator and for facilitators, who may see both groups."""
    client = client_for(world.users[role])
    wrong, tried = [], 0
    for row, method, kwargs, data in foreign_cells(world):
        if getattr(row, method)[role] == NOT_ALLOWED:
            continue
        tried += 1
        url = reverse(row.name, kwargs=kwargs)
        status = request_cell(client, method, url, data)
        if status not in (403, 404):
            wrong.append(f"{method.upper()} {url} ({row.label}) {data or ''}: got {status}")
    assert tried > 20
    assert not wrong, f"{len(wrong)} of {tried} requests with group B's ids were not refused:\n" + "\n".join(wrong)


@pytest.mark.parametrize("name", ["moderation:report-create", "moderation:content-hide", "moderation:content-restore"])
def test_group_a_people_cannot_reach_group_b_messages_through_moderation(world, name):
    """These URLs name the object alone (no group in them), so the cross-group check is explicit:
    group A's coordinator, member and supplier get 404 for group B's open discussion message;
    facilitators moderate every group and reach it."""
    url = reverse(name, kwargs={"kind": "message", "pk": world.B.open_message.pk})
    for role in ("coordinator", "member", "supplier"):
        for method in ("get", "post"):
            assert request_cell(client_for(world.users[role]), method, url, {"reason": "x"}) == 404, (role, method)
    assert request_cell(client_for(world.users["facilitator"]), "get", url, {}) == 200
