"""The permission matrix: role × page or action, for one group (PRODUCT.md §4, Security).

Visitors are sent to sign in on private pages; people who may not see the workspace get
404 there (nothing to probe) and the public summary on the group's own address; members
without the needed role get 403.

Every test here only reads, so the cast is built once for the module (`module_cast`); the
tests that change something are in test_permissions_that_write.py, each with a cast of its own."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from groups.services.documents import add_document
from tests.core.test_uploads import PDF
from tests.security.permission_table import expected_get

pytestmark = pytest.mark.django_db

ROLES = [
    "visitor",
    "stranger",
    "unverified",
    "supplier",
    "non_member",
    "member",
    "observer",
    "coordinator",
    "facilitator",
]
WORKSPACE = {"member", "observer", "coordinator", "facilitator"}
MANAGERS = {"coordinator", "facilitator"}
EDITORS = {"member", "coordinator", "facilitator"}


def client_for(client, cast, role):
    user = getattr(cast, role)
    if user is not None:
        client.force_login(user)
    return client


def expected_private(role, allowed):
    """visitor → login redirect; outside the workspace → 404; inside without the role → 403."""
    if role in allowed:
        return 200
    if role == "visitor":
        return 302
    return 404 if role not in WORKSPACE else 403


@pytest.fixture
def cast(module_cast):
    """Here the cast is the module's: every test in this module only reads."""
    return module_cast


@pytest.fixture(scope="module")
def _module_document(_module_cast, django_db_blocker):
    with django_db_blocker.unblock():
        return add_document(
            group=_module_cast.group,
            title="Inventering",
            upload=ContentFile(PDF, name="inventering.pdf"),
            content_type="application/pdf",
            user=_module_cast.coordinator,
        )


@pytest.fixture
def document(_module_document, db):
    return _module_document


# The status-only cells that the security suite's table (tests/security/permission_table.py)
# asserts the same way, for the same kind of person on the same page, are left to it: the
# roles it has (with its name for them) on the pages below. Kept here: people without an
# organisation, users of an unverified authority (the security world's is a supplier) and
# suppliers that take part in nothing (the security world's take part in a dialogue).
SECURITY_ROLES = {
    "visitor": "anonymous",
    "non_member": "outsider",
    "member": "member",
    "observer": "observer",
    "coordinator": "coordinator",
    "facilitator": "facilitator",
}
KEPT_ROLES = [role for role in ROLES if role not in SECURITY_ROLES]
WORKSPACE_PAGES = ["groups:member-list", "groups:document-list", "groups:stage-plan"]


def expected_draft_need(role):
    return 200 if role in WORKSPACE else 404


def test_the_security_table_has_the_cells_left_to_it():
    for role, theirs in SECURITY_ROLES.items():
        for page in WORKSPACE_PAGES:
            assert expected_get(page, theirs) == expected_private(role, WORKSPACE), (role, page)
        assert expected_get("groups:need-detail[draft]", theirs) == expected_draft_need(role), role
        assert expected_get("groups:group-history", theirs) == expected_private(role, MANAGERS), role


@pytest.mark.parametrize("role", ROLES)
def test_directory_is_public(client, cast, role):
    response = client_for(client, cast, role).get(reverse("groups:group-list"))
    assert response.status_code == 200
    assert "Fossilfria arbetsmaskiner" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_group_address_shows_workspace_or_summary(client, cast, role):
    response = client_for(client, cast, role).get(cast.group.get_absolute_url())
    assert response.status_code == 200
    templates = {t.name for t in response.templates}
    if role in WORKSPACE:
        assert "groups/group_workspace.html" in templates
    else:
        assert "groups/group_summary.html" in templates and "groups/group_workspace.html" not in templates
        assert "Fossilfria hjullastare" not in response.content.decode()  # the draft need's title


@pytest.mark.parametrize("role", KEPT_ROLES)
@pytest.mark.parametrize("page", WORKSPACE_PAGES)
def test_workspace_pages(client, cast, role, page):
    response = client_for(client, cast, role).get(reverse(page, args=[cast.group.slug]))
    assert response.status_code == expected_private(role, WORKSPACE)


@pytest.mark.parametrize("role", ROLES)
def test_document_download(client, cast, document, role):
    url = reverse("groups:document-download", args=[cast.group.slug, document.pk, document.latest_version.pk])
    response = client_for(client, cast, role).get(url)
    assert response.status_code == expected_private(role, WORKSPACE)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("role", KEPT_ROLES)
def test_draft_need_is_for_the_workspace(client, cast, role):
    response = client_for(client, cast, role).get(cast.need.get_absolute_url())
    assert response.status_code == expected_draft_need(role)


@pytest.mark.parametrize("role", ROLES)
def test_edit_need(client, cast, role):
    response = client_for(client, cast, role).get(reverse("groups:need-edit", args=[cast.group.slug, cast.need.pk]))
    assert response.status_code == expected_private(role, EDITORS)


@pytest.mark.parametrize("role", KEPT_ROLES)
def test_group_history(client, cast, role):
    response = client_for(client, cast, role).get(reverse("groups:group-history", args=[cast.group.slug]))
    assert response.status_code == expected_private(role, MANAGERS)
