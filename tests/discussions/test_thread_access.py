"""Who may read and write each kind of discussion: role × kind, by the permission module, by
the readers query (mentions, notifications) and by the page itself (PRODUCT.md §4, Security).

Every test here only reads, so the cast is built once for the module (`module_thread_cast`);
the tests that change something first are in test_thread_access_that_write.py, each with a
cast of its own."""

import pytest
from django.contrib.auth.models import AnonymousUser

from discussions.access import can_read_thread, thread_access, thread_readers
from tests.dialogues.conftest import READERS, ROLES, signed_in
from tests.security.permission_table import expected_get

pytestmark = pytest.mark.django_db

CASES = [(kind, role) for kind in READERS for role in ROLES]

# The thread pages' cells that the security suite's table (tests/security/permission_table.py)
# asserts the same way, for the same kind of person, are left to it: the roles it has (with its
# name for them) on each kind of thread. Kept here: people without an organisation and a
# verified supplier that does not take part in the dialogue (the security world has neither).
SECURITY_ROLES = {
    "visitor": "anonymous",
    "non_member": "outsider",
    "unverified": "unverified",
    "member": "member",
    "observer": "observer",
    "coordinator": "coordinator",
    "facilitator": "facilitator",
    "supplier": "supplier",
    "other_supplier": "other_supplier",
}


@pytest.fixture
def thread_cast(module_thread_cast):
    """Here the cast is the module's: every test in this module only reads."""
    return module_thread_cast


def expected_page(kind, role):
    if role == "visitor":
        return 302  # to sign in
    return 200 if role in READERS[kind] else 404  # nothing to probe: not even whether it exists


def test_the_security_table_has_the_cells_left_to_it():
    for kind in READERS:
        for role, theirs in SECURITY_ROLES.items():
            assert expected_get(f"threads:thread-detail[{kind}]", theirs) == expected_page(kind, role), (kind, role)


def user_of(cast, role):
    return getattr(cast, role)


@pytest.mark.parametrize(("kind", "role"), CASES)
def test_read_rules_agree_everywhere(thread_cast, kind, role):
    thread, user = thread_cast.threads[kind], user_of(thread_cast, role)
    allowed = role in READERS[kind]
    if user is None:
        assert thread_access(AnonymousUser(), thread).can_read is False
    else:
        assert thread_access(user, thread).can_read is allowed
        assert can_read_thread(user, thread.pk) is allowed
        assert thread_readers(thread).filter(pk=user.pk).exists() is allowed


@pytest.mark.parametrize(("kind", "role"), [(kind, role) for kind, role in CASES if role not in SECURITY_ROLES])
def test_thread_page_by_role(thread_cast, kind, role):
    thread = thread_cast.threads[kind]
    response = signed_in(user_of(thread_cast, role)).get(thread.get_absolute_url())
    if role == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role in READERS[kind]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404  # nothing to probe: not even whether it exists


@pytest.mark.parametrize(("kind", "role"), [(k, r) for k, r in CASES if r in READERS[k]])
def test_every_verified_reader_may_write(thread_cast, kind, role):
    access = thread_access(user_of(thread_cast, role), thread_cast.threads[kind])
    assert access.can_post and access.refusal == ""


def test_only_coordinators_and_facilitators_moderate(thread_cast):
    for kind in READERS:
        for role in READERS[kind]:
            access = thread_access(user_of(thread_cast, role), thread_cast.threads[kind])
            assert access.can_moderate is (role in {"coordinator", "facilitator"}), (kind, role)
