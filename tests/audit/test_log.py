"""The audit log is append-only: the model, the queryset and (on PostgreSQL) the database refuse
to change or remove a row."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import translation

from audit.context import AuditContextMiddleware
from audit.models import Action, AppendOnlyError, AuditEntry
from audit.services import record

pytestmark = pytest.mark.django_db


def test_record_keeps_actor_target_group_reason_and_ip_as_snapshots(admin_user, authority):
    entry = record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority, reason="checked", ip="10.0.0.7")

    entry.refresh_from_db()
    assert (entry.actor_id, entry.actor_label) == (admin_user.pk, "Anna Admin")
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "accounts.organisation",
        str(authority.pk),
        "Växjö kommun",
    )
    assert (entry.reason, entry.ip) == ("checked", "10.0.0.7")
    with translation.override("en"):
        assert entry.get_action_display() == "verified an organisation"


def test_a_deleted_actor_leaves_the_row_untouched(admin_user, authority):
    entry = record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority)
    admin_user.delete()
    entry.refresh_from_db()
    assert entry.actor_label == "Anna Admin"


def test_saving_an_existing_row_is_refused(admin_user, authority):
    entry = record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority)
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEntry.objects.get().reason == ""


def test_bulk_update_and_delete_are_refused(admin_user, authority):
    record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update(list(AuditEntry.objects.all()), ["reason"])
    assert AuditEntry.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_raw_updates_and_deletes(admin_user, authority):
    record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority)
    for sql in ("UPDATE audit_auditentry SET reason = 'x'", "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.get().reason == ""


def test_the_middleware_gives_services_the_client_address(admin_user, authority):
    seen = []

    def view(request):
        seen.append(record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority))
        return None

    AuditContextMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="192.0.2.5"))
    assert seen[0].ip == "192.0.2.5"
    # Outside a request there is no address.
    assert record(actor=admin_user, action=Action.ORG_VERIFIED, target=authority).ip is None
