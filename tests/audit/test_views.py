"""The audit log page and its CSV export: facilitators only, filters, bad filters, the export's
cells and its own log entry, and a query count that does not grow with the log."""

import csv
import io
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Organisation, OrganisationMember
from audit.models import Action, AuditEntry
from audit.services import entry, record, record_many
from groups.models import BuyerGroup, Coordinator, Membership
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.signing_in import TwoFactorAsyncClient, TwoFactorClient

pytestmark = pytest.mark.django_db

LIST = reverse("audit:entry-list")
EXPORT = reverse("audit:entry-export")


def signed_in(user) -> TwoFactorClient:
    client = TwoFactorClient()
    if user is not None:
        client.force_login(user)
    return client


def at(day: int, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime(2026, 11, day, hour))


@pytest.fixture
def cast(db):
    """The people, made directly rather than through the services, so the log starts empty."""
    vaxjo = OrganisationFactory(name="Växjö kommun")
    lund = OrganisationFactory(name="Lunds kommun")
    energi = OrganisationFactory(name="Energimyndigheten", kind=Organisation.Kind.STATLIG_MYNDIGHET)
    supplier = OrganisationFactory(name="Solvent AB", kind=Organisation.Kind.SUPPLIER)
    unverified = OrganisationFactory(name="Ny kommun", status=Organisation.Status.UNVERIFIED)
    agency = OrganisationFactory(name="Upphandlingsmyndigheten", kind=Organisation.Kind.FACILITATING_AGENCY)
    group = BuyerGroup.objects.create(
        name="Fossilfria arbetsmaskiner", slug="fossilfria", theme="transport", summary="s", challenge="c"
    )
    coordinator = person_at(vaxjo, role=OrganisationMember.Role.ADMIN, name="Anna Samordnare")
    Coordinator.objects.create(group=group, user=coordinator)
    for organisation, role in ((vaxjo, "member"), (lund, "member"), (energi, "observer")):
        Membership.objects.create(group=group, organisation=organisation, role=role, status="active")
    facilitator = person_at(agency, name="Fia Processledare")
    TOTP.activate(facilitator, generate_totp_secret())
    return SimpleNamespace(
        group=group,
        lund=lund,
        energi=energi,
        coordinator=coordinator,
        member=person_at(lund, name="Erik Medlem", email="erik.medlem@lund.se"),
        observer=person_at(energi, name="Olle Observatör"),
        supplier=person_at(supplier, name="Sara Leverantör"),
        unverified=person_at(unverified, name="Ulf Overifierad"),
        stranger=UserFactory(name="Ingen Organisation"),
        facilitator=facilitator,
    )


@pytest.fixture
def log(cast):
    """Four entries by three people in two groups (and none) on three days."""
    rows = [
        entry(actor=cast.facilitator, action=Action.ORG_VERIFIED, target=cast.lund, reason="Kontrollerad"),
        entry(actor=cast.coordinator, action=Action.MEMBERSHIP_APPROVED, target=cast.lund, group=cast.group),
        entry(actor=cast.coordinator, action=Action.MEMBERSHIP_DECLINED, target=cast.energi, group=cast.group),
        entry(
            actor=cast.member, action=Action.CONTENT_HIDDEN, target=cast.group, group=cast.group, reason="=HYPERLINK()"
        ),
    ]
    for row, day in zip(rows, (20, 21, 22, 23), strict=True):
        row.at = at(day)
    return record_many(rows)


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [e.action for e in response.context["page"].object_list]


# --- who may see it ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "supplier", "coordinator", "observer", "unverified", "stranger"])
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_only_facilitators_get_the_log(cast, log, role, url):
    response = signed_in(getattr(cast, role)).get(url)
    assert response.status_code == 403
    assert b"Kontrollerad" not in response.content


# A visitor is sent to sign in from the log and its export: the security suite's table, rows
# audit:entry-list and audit:entry-export (tests/security/permission_table.py).


def test_the_facilitator_sees_every_entry_newest_first(cast, log):
    response = signed_in(cast.facilitator).get(LIST)
    assert listed(response) == [
        Action.CONTENT_HIDDEN,
        Action.MEMBERSHIP_DECLINED,
        Action.MEMBERSHIP_APPROVED,
        Action.ORG_VERIFIED,
    ]
    assert "Kontrollerad" in response.content.decode()


def test_the_navigation_links_the_log_for_facilitators_only(cast):
    with translation.override("en"):
        assert (
            reverse("audit:entry-list") in signed_in(cast.facilitator).get(reverse("home:dashboard")).content.decode()
        )
        assert (
            reverse("audit:entry-list")
            not in signed_in(cast.coordinator).get(reverse("home:dashboard")).content.decode()
        )


# --- filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"actor": "COORDINATOR"}, [Action.MEMBERSHIP_DECLINED, Action.MEMBERSHIP_APPROVED]),
        ({"action": Action.ORG_VERIFIED}, [Action.ORG_VERIFIED]),
        (
            {"date_from": "2026-11-21", "date_to": "2026-11-22"},
            [Action.MEMBERSHIP_DECLINED, Action.MEMBERSHIP_APPROVED],
        ),
        ({"date_from": "2026-11-23"}, [Action.CONTENT_HIDDEN]),
        ({"actor": "COORDINATOR", "action": Action.MEMBERSHIP_APPROVED}, [Action.MEMBERSHIP_APPROVED]),
        ({"actor": "MEMBER", "action": Action.ORG_VERIFIED}, []),
    ],
)
def test_filters(cast, log, query, expected):
    people = {"COORDINATOR": cast.coordinator.pk, "MEMBER": cast.member.pk}
    query = {key: people.get(value, value) for key, value in query.items()}
    assert listed(signed_in(cast.facilitator).get(LIST, query)) == expected


def test_the_pickers_offer_the_people_and_groups_in_the_log_by_their_latest_names(cast, log):
    # The log knows people and groups by id and by the names it wrote down; a later name wins.
    cast.coordinator.name = "Anna Bytt Namn"
    cast.coordinator.save(update_fields=["name"])
    record(actor=cast.coordinator, action=Action.REPORT_DISMISSED, target=cast.group, group=cast.group)
    form = signed_in(cast.facilitator).get(LIST).context["form"]
    assert list(form.fields["actor"].choices)[1:] == [
        (str(cast.coordinator.pk), "Anna Bytt Namn"),
        (str(cast.member.pk), "Erik Medlem"),
        (str(cast.facilitator.pk), "Fia Processledare"),
    ]
    assert list(form.fields["group"].choices)[1:] == [(str(cast.group.pk), "Fossilfria arbetsmaskiner")]


def test_group_filter(cast, log):
    response = signed_in(cast.facilitator).get(LIST, {"group": cast.group.pk})
    assert Action.ORG_VERIFIED not in listed(response)
    assert len(listed(response)) == 3


def test_no_match_shows_the_empty_state(cast, log):
    with translation.override("en"):
        response = signed_in(cast.facilitator).get(LIST, {"action": Action.USER_SUSPENDED})
    assert "No entry matches these filters." in response.content.decode()


def test_an_empty_log_says_so(cast):
    with translation.override("en"):
        response = signed_in(cast.facilitator).get(LIST)
    assert "The log has no entries yet." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"action": "drop.tables"}, "action", "is not an action in the log"),
        ({"group": "999999"}, "group", "That buyer group does not exist"),
        ({"group": "abc"}, "group", "That buyer group does not exist"),
        ({"actor": "999999"}, "actor", "That person has no entries in the log"),
        ({"actor": "anna"}, "actor", "That person has no entries in the log"),
        ({"date_from": "24/11/2026"}, "date_from", "Enter a date as YYYY-MM-DD"),
        ({"date_from": "2026-11-23", "date_to": "2026-11-20"}, "date_to", "cannot come before the first date"),
    ],
)
def test_bad_filters_get_a_clear_error_and_keep_what_was_typed(cast, log, query, field, message):
    with translation.override("en"):
        response = signed_in(cast.facilitator).get(LIST, query)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert listed(response) == []
    page = response.content.decode()
    assert "Some filters have errors" in page
    if field not in ("action", "group", "actor"):  # what was typed is still in the field
        assert f'value="{next(iter(query.values()))}"' in page


def test_a_bad_page_number_shows_a_page(cast, log):
    assert len(listed(signed_in(cast.facilitator).get(LIST, {"page": "x"}))) == 4


def test_pages_of_fifty_keep_the_filters(cast):
    record_many(
        [
            entry(actor=cast.coordinator, action=Action.DIALOGUE_STATE, target=cast.group, group=cast.group)
            for _ in range(60)
        ]
    )
    client = signed_in(cast.facilitator)
    first = client.get(LIST, {"action": Action.DIALOGUE_STATE})
    assert len(listed(first)) == 50
    assert f"action={Action.DIALOGUE_STATE}&amp;page=2" in first.content.decode()
    assert len(listed(client.get(LIST, {"action": Action.DIALOGUE_STATE, "page": 2}))) == 10


# --- the export --------------------------------------------------------------------------


def exported(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_export_has_a_header_and_the_filtered_rows(cast, log):
    with translation.override("en"):
        rows = exported(signed_in(cast.facilitator).get(EXPORT, {"actor": cast.coordinator.pk}))
    assert rows[0][:5] == ["Time", "Actor", "Actor id", "Action", "Action code"]
    assert [row[4] for row in rows[1:]] == [Action.MEMBERSHIP_DECLINED, Action.MEMBERSHIP_APPROVED]
    declined = rows[1]
    assert declined[1] == "Anna Samordnare"
    assert declined[3] == "declined a join request"
    assert declined[8] == "Fossilfria arbetsmaskiner"
    assert declined[0].startswith("2026-11-22T12:00:00")


def test_export_cells_cannot_start_a_formula(cast, log):
    record(actor=cast.coordinator, action=Action.CONTENT_HIDDEN, target=cast.group, reason="+1", detail="-2")
    record(actor=cast.coordinator, action=Action.CONTENT_HIDDEN, target=cast.group, reason="@SUM(A1)")
    rows = exported(signed_in(cast.facilitator).get(EXPORT, {"action": Action.CONTENT_HIDDEN}))
    reasons = {row[10] for row in rows[1:]}
    assert reasons == {"'=HYPERLINK()", "'+1", "'@SUM(A1)"}
    assert "'-2" in {row[11] for row in rows[1:]}
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", " ="])
def test_names_and_reasons_people_wrote_cannot_start_a_formula(cast, start):
    payload = start + 'SUM(1+1)*cmd|"calc"!A0'
    cast.coordinator.name = payload
    cast.coordinator.save(update_fields=["name"])
    cast.group.name = payload
    cast.group.save(update_fields=["name"])
    record(actor=cast.coordinator, action=Action.CONTENT_HIDDEN, target=cast.group, group=cast.group, reason=payload)
    row = exported(signed_in(cast.facilitator).get(EXPORT, {"action": Action.CONTENT_HIDDEN}))[1]
    # actor, target, buyer group, reason
    assert [row[1], row[7], row[8], row[10]] == ["'" + payload] * 4


def test_the_export_is_itself_in_the_log(cast, log):
    client = signed_in(cast.facilitator)
    exported(client.get(EXPORT, {"action": Action.ORG_VERIFIED}, REMOTE_ADDR="192.0.2.44"))
    own = AuditEntry.objects.get(action=Action.AUDIT_EXPORTED)
    assert (own.actor_id, own.detail, own.ip) == (cast.facilitator.pk, f"action={Action.ORG_VERIFIED}", "192.0.2.44")


def test_an_export_with_bad_filters_exports_nothing_and_says_why(cast, log):
    with translation.override("en"):
        response = signed_in(cast.facilitator).get(EXPORT, {"date_from": "igår"})
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD" in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.AUDIT_EXPORTED).exists()


# --- queries -----------------------------------------------------------------------------


def fill(cast, count: int) -> None:
    start = timezone.now() - timedelta(days=1)
    rows = []
    for number in range(count):
        row = entry(
            actor=(cast.coordinator, cast.member)[number % 2],
            action=(Action.MEMBERSHIP_APPROVED, Action.NEED_PUBLISHED)[number % 2],
            target=cast.group,
            group=cast.group,
            reason=f"reason {number}",
        )
        row.at = start + timedelta(minutes=number)
        rows.append(row)
    record_many(rows)


def queries(client, url, query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
        if url == EXPORT:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [LIST, EXPORT])
@pytest.mark.parametrize("query", [{}, {"actor": "COORDINATOR", "group": "GROUP", "date_from": "2026-01-01"}])
def test_query_count_does_not_grow_with_the_log(cast, url, query):
    ids = {"GROUP": cast.group.pk, "COORDINATOR": cast.coordinator.pk}
    query = {key: ids.get(value, value) for key, value in query.items()}
    client = signed_in(cast.facilitator)
    fill(cast, 10)
    small = queries(client, url, query)
    fill(cast, 190)
    assert AuditEntry.objects.count() >= 200
    assert queries(client, url, query) == small


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_export_streams_without_reading_everything_first(cast, recwarn):
    from asgiref.sync import sync_to_async
    from django.db import connections

    await sync_to_async(fill)(cast, 1200)
    client = TwoFactorAsyncClient()
    await client.aforce_login(cast.facilitator)
    response = await client.get(EXPORT)
    assert response.status_code == 200
    chunks = [chunk async for chunk in response.streaming_content]
    assert len(chunks) > 2  # header and rows in several chunks of 500, not one block
    lines = b"".join(chunks).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 1200 + 1  # the header, the entries and this export's own entry
    assert not [w for w in recwarn if "must consume" in str(w.message)]
    # The chunks were read in asgiref's thread for synchronous code: close its connection.
    await sync_to_async(connections.close_all)()
