"""/dialogues/ filtered by theme, status, deadline and the county of a member authority, and
sorted (issue 21). Bad filters give a message and the unfiltered list, never an error."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import County, Organisation, OrganisationMember
from dialogues.models import Dialogue
from dialogues.services.listing import filter_public_dialogues
from groups.models import Membership
from groups.services.group import create_group
from groups.services.needs import create_need
from tests.factories import OrganisationFactory, UserFactory, person_at
from tests.groups.conftest import FIELDS, REQUIREMENTS

pytestmark = pytest.mark.django_db

LIST = "/dialogues/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def buyer_group(name, theme, county, *, other_members=()):
    """A group whose founding member sits in `county`; `other_members` are (county, role,
    status, organisation status) of further memberships."""
    founder = OrganisationFactory(name=f"{name} kommun", county=county)
    coordinator = person_at(founder, role=OrganisationMember.Role.ADMIN)
    group = create_group(
        creator=coordinator,
        organisation=founder,
        name=name,
        theme=theme,
        summary="Sammanfattning",
        challenge="Utmaning",
        is_open=True,
    )
    for other_county, role, status, organisation_status in other_members:
        Membership.objects.create(
            group=group,
            organisation=OrganisationFactory(county=other_county, status=organisation_status),
            role=role,
            status=status,
        )
    need = create_need(group=group, user=coordinator, fields=FIELDS, requirements=REQUIREMENTS, change_note="v1")
    return group, need, coordinator


def dialogue(group, need, user, title, *, days, opened_days_ago=1, state=Dialogue.State.OPEN, closed_days_ago=None):
    now = timezone.now()
    return Dialogue.objects.create(
        group=group,
        need=need,
        title=title,
        purpose="Vi vill veta vad marknaden kan leverera.",
        question_deadline=now + timedelta(days=days - 1),
        submission_deadline=now + timedelta(days=days),
        state=state,
        opened_at=now - timedelta(days=opened_days_ago),
        closed_at=now - timedelta(days=closed_days_ago) if closed_days_ago is not None else None,
        created_by=user,
    )


@pytest.fixture
def listing():
    """Four open dialogues and two closed ones in three groups:

    - Växjö (transport, Kronoberg): "Hjullastare" due in 10 days, "Sopbilar" due in 100 days
    - Lund (energy, Skåne; Halland an observer, Blekinge only asking, Gotland unverified):
      "Solceller" due in 3 days (opened last), "Värmepumpar" due in 40 days
    - Umeå (energy, Västerbotten, Norrbotten a member too): closed "Vindkraft" and "Biogas"
    """
    vaxjo, vaxjo_need, anna = buyer_group("Växjö", "transport", County.KRONOBERG)
    lund, lund_need, erik = buyer_group(
        "Lund",
        "energy",
        County.SKANE,
        other_members=[
            (County.HALLAND, Membership.Role.OBSERVER, Membership.Status.ACTIVE, Organisation.Status.VERIFIED),
            (County.BLEKINGE, Membership.Role.MEMBER, Membership.Status.REQUESTED, Organisation.Status.VERIFIED),
            (County.GOTLAND, Membership.Role.MEMBER, Membership.Status.ACTIVE, Organisation.Status.UNVERIFIED),
        ],
    )
    umea, umea_need, ulla = buyer_group(
        "Umeå",
        "energy",
        County.VASTERBOTTEN,
        other_members=[
            (County.NORRBOTTEN, Membership.Role.MEMBER, Membership.Status.ACTIVE, Organisation.Status.VERIFIED),
            (County.NORRBOTTEN, Membership.Role.MEMBER, Membership.Status.ACTIVE, Organisation.Status.VERIFIED),
        ],
    )
    dialogue(vaxjo, vaxjo_need, anna, "Hjullastare", days=10, opened_days_ago=5)
    dialogue(vaxjo, vaxjo_need, anna, "Sopbilar", days=100, opened_days_ago=4)
    dialogue(lund, lund_need, erik, "Solceller", days=3, opened_days_ago=1)
    dialogue(lund, lund_need, erik, "Värmepumpar", days=40, opened_days_ago=9)
    closed = Dialogue.State.CLOSED
    dialogue(umea, umea_need, ulla, "Vindkraft", days=-20, opened_days_ago=60, state=closed, closed_days_ago=20)
    dialogue(umea, umea_need, ulla, "Biogas", days=-5, opened_days_ago=50, state=closed, closed_days_ago=5)
    dialogue(umea, umea_need, ulla, "Utkast", days=30, opened_days_ago=0, state=Dialogue.State.DRAFT)


TITLES = re.compile(r'<h2 class="card-title"[^>]*><a [^>]*>([^<]+)</a>')


def titles(client, query="", **headers):
    response = client.get(LIST + query, **{**EN, **headers})
    assert response.status_code == 200
    return TITLES.findall(response.content.decode())


def test_by_default_the_open_dialogues_come_soonest_deadline_first(client, listing):
    assert titles(client) == ["Solceller", "Hjullastare", "Värmepumpar", "Sopbilar"]


def test_closed_dialogues_come_most_recently_closed_first_with_the_old_link(client, listing):
    assert titles(client, "?state=closed") == ["Biogas", "Vindkraft"]


def test_theme_keeps_the_groups_of_that_theme(client, listing):
    assert titles(client, "?theme=transport") == ["Hjullastare", "Sopbilar"]
    assert titles(client, "?theme=energy&state=closed") == ["Biogas", "Vindkraft"]


def test_deadline_within_keeps_the_dialogues_due_in_that_many_days(client, listing):
    assert titles(client, "?within=10") == ["Solceller", "Hjullastare"]
    assert titles(client, "?within=365") == ["Solceller", "Hjullastare", "Värmepumpar", "Sopbilar"]
    assert titles(client, "?within=1") == []


def test_county_finds_the_groups_with_an_active_verified_member_authority_there(client, listing):
    assert titles(client, "?county=07") == ["Hjullastare", "Sopbilar"]
    assert titles(client, "?county=12") == ["Solceller", "Värmepumpar"]


@pytest.mark.parametrize("county", [County.HALLAND, County.BLEKINGE, County.GOTLAND])
def test_observers_pending_members_and_unverified_organisations_do_not_place_a_group(client, listing, county):
    assert titles(client, f"?county={county}") == []


def test_two_members_in_the_county_list_the_dialogue_once(client, listing):
    assert titles(client, "?county=25&state=closed") == ["Biogas", "Vindkraft"]


def test_filters_combine(client, listing):
    assert titles(client, "?theme=energy&county=12&within=30") == ["Solceller"]
    assert titles(client, "?theme=transport&county=12") == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("deadline", ["Solceller", "Hjullastare", "Värmepumpar", "Sopbilar"]),
        ("-deadline", ["Sopbilar", "Värmepumpar", "Hjullastare", "Solceller"]),
        ("newest", ["Solceller", "Sopbilar", "Hjullastare", "Värmepumpar"]),
    ],
)
def test_sorting(client, listing, sort, expected):
    assert titles(client, f"?sort={sort}") == expected


def test_closed_dialogues_sort_too(client, listing):
    assert titles(client, "?state=closed&sort=newest") == ["Biogas", "Vindkraft"]
    assert titles(client, "?state=closed&sort=deadline") == ["Vindkraft", "Biogas"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?theme=xyz", "Select a valid choice. xyz is not one of the available choices."),
        ("?within=abc", "Enter a whole number."),
        ("?within=0", "Ensure this value is greater than or equal to 1."),
        ("?within=366", "Ensure this value is less than or equal to 365."),
        ("?county=99", "Select a valid choice. 99 is not one of the available choices."),
        ("?sort=title", "Select a valid choice. title is not one of the available choices."),
    ],
)
def test_a_bad_filter_gets_a_message_and_the_unfiltered_list(client, listing, query, message):
    response = client.get(LIST + query + "&county=07" * (not query.startswith("?county")), **EN)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in body and message in body
    assert "the list shows every open dialogue" in body
    assert TITLES.findall(body) == ["Solceller", "Hjullastare", "Värmepumpar", "Sopbilar"]


def test_a_bad_filter_keeps_the_closed_list_when_that_is_what_was_asked(client, listing):
    response = client.get(LIST + "?state=closed&within=abc", **EN)
    assert "the list shows every closed dialogue" in response.content.decode()
    assert TITLES.findall(response.content.decode()) == ["Biogas", "Vindkraft"]


def test_the_message_is_in_the_readers_language(client, listing):
    body = client.get(LIST + "?within=abc", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Enter a whole number." not in body
    assert 'id="error-summary"' in body


def test_what_was_chosen_stays_in_the_form(client, listing):
    body = client.get(LIST + "?theme=energy&county=12&within=30&sort=-deadline", **EN).content.decode()
    assert '<option value="energy" selected>' in body
    assert '<option value="12" selected>' in body
    assert 'value="30"' in body
    assert '<option value="-deadline" selected>' in body
    assert '<label for="id_county">' in body and '<label for="id_within">' in body


def test_no_match_says_so_and_links_to_clear_the_filters(client, listing):
    body = client.get(LIST + "?theme=food", **EN).content.decode()
    assert "No dialogues match the filters." in body
    assert '<a href="/dialogues/">Clear the filters</a>' in body


def test_an_empty_list_without_filters_keeps_its_own_message(client, db):
    body = client.get(LIST, **EN).content.decode()
    assert "No market dialogue is open right now." in body
    assert "No dialogues match" not in body


def test_filter_public_dialogues_works_without_a_form(listing):
    visible = Dialogue.objects.all()
    found = filter_public_dialogues(visible, {"county": County.SKANE, "sort": "-deadline"})
    assert [d.title for d in found] == ["Värmepumpar", "Solceller"]
    assert [d.title for d in filter_public_dialogues(visible, {})] == [
        "Solceller",
        "Hjullastare",
        "Värmepumpar",
        "Sopbilar",
    ]
    everything = filter_public_dialogues(visible, {"theme": "energy", "sort": "newest"}, default_state=None)
    assert [d.title for d in everything] == ["Solceller", "Värmepumpar", "Biogas", "Vindkraft"]
    later = timezone.now() + timedelta(days=5)
    assert [d.title for d in filter_public_dialogues(visible, {"within": 6}, now=later)] == ["Hjullastare"]


# --- Pages and queries --------------------------------------------------------------------


def many(count):
    group, need, coordinator = buyer_group(
        "Många",
        "transport",
        County.KRONOBERG,
        other_members=[(County.KRONOBERG, Membership.Role.MEMBER, Membership.Status.ACTIVE, "verified")],
    )
    for number in range(count):
        dialogue(group, need, coordinator, f"Dialog {number:02d}", days=number + 2)
    return group, need, coordinator


def test_the_page_links_keep_the_filters(client, db):
    many(30)
    body = client.get(LIST + "?theme=transport&county=07&within=60&sort=-deadline", **EN).content.decode()
    assert 'href="?theme=transport&amp;county=07&amp;within=60&amp;sort=-deadline&amp;page=2"' in body
    second = client.get(LIST + "?theme=transport&county=07&within=60&sort=-deadline&page=2", **EN)
    assert TITLES.findall(second.content.decode()) == [f"Dialog {n:02d}" for n in range(4, -1, -1)]
    assert 'href="?theme=transport&amp;county=07&amp;within=60&amp;sort=-deadline&amp;page=1"' in (
        second.content.decode()
    )


def count_queries(client, address):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address, **EN).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["anonymous", "supplier"])
def test_queries_do_not_grow_with_dialogues(client, db, user):
    if user == "supplier":
        client.force_login(person_at(OrganisationFactory(kind=Organisation.Kind.SUPPLIER)))
    address = LIST + "?theme=transport&county=07&within=365&sort=newest"
    group, need, coordinator = many(3)
    small = count_queries(client, address)
    for number in range(27):
        dialogue(group, need, coordinator, f"Fler {number}", days=number + 2)
    assert count_queries(client, address) == small


def test_a_signed_in_person_filters_too(client, listing):
    client.force_login(UserFactory())
    assert titles(client, "?county=07") == ["Hjullastare", "Sopbilar"]


def test_drafts_stay_out_even_for_the_group(client, listing):
    coordinator = Membership.objects.get(group__name="Umeå", organisation__county=County.VASTERBOTTEN)
    client.force_login(coordinator.organisation.staff.get().user)
    assert "Utkast" not in titles(client, "?theme=energy")
