"""Hostile form fields and query parameters: every URL of the matrix, posted and fetched with
values no browser would send, by the people allowed to use it. Bad input never gets a 500."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security.matrix import client_for, request_cell
from tests.security.permission_table import ROWS

# The names our views read from request.POST / request.GET directly, plus the forms' usual fields.
FIELDS = [
    "participation",
    "user",
    "organisation",
    "question",
    "questions",
    "decision",
    "state",
    "action",
    "current_stage",
    "version",
    "page",
    "waiting_page",
    "kind",
    "status",
    "from",
    "to",
    "next",
    "language",
    "body",
    "text",
    "reason",
    "title",
    "email",
    "role",
    "revision",
    "base_version_number",
    "requirement_number",
    "has_conflict",
    "first_start",
    "length_minutes",
    "count",
]
# Each request sends one of these in every field; the hypothesis test below adds random text.
NASTY = ["abc", "-1", "99999999999999999999999999", "a\x00b", "' OR 1=1 --", "²", ""]
ROLES = ["coordinator", "supplier"]  # the group side and the supplier side


def hostile_data(value):
    return {field: value for field in FIELDS}


def url_for(row, world):
    return reverse(row.name, kwargs=row.kwargs(world, world.A))


def allowed(row, method, role):
    return getattr(row, method)[role] not in (403, 404, 405, "login")


def server_errors(world, role, values):
    client = client_for(world.users[role])
    errors = []
    for row in ROWS:
        for method in ("get", "post"):
            if not allowed(row, method, role):
                continue
            for value in values:
                status = request_cell(client, method, url_for(row, world), hostile_data(value))
                if isinstance(status, int) and status >= 500:
                    errors.append(f"{method.upper()} {row.label} with {value[:30]!r}: {status}")
    return errors


@pytest.mark.parametrize("role", ROLES)
def test_every_field_of_every_page_survives_nasty_values(world, role):
    errors = server_errors(world, role, NASTY)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("role", ["coordinator", "supplier"])
def test_random_text_in_every_field_never_gets_a_500(world, role):
    client = client_for(world.users[role])
    targets = [(row, method) for row in ROWS for method in ("get", "post") if allowed(row, method, role)]

    @settings(max_examples=60)
    @given(
        target=st.sampled_from(targets),
        values=st.dictionaries(st.sampled_from(FIELDS), st.text(alphabet=st.characters(codec="utf-8")), max_size=6),
    )
    def check(target, values):
        row, method = target
        status = request_cell(client, method, url_for(row, world), values)
        assert not (isinstance(status, int) and status >= 500), (row.label, method, values)

    check()
