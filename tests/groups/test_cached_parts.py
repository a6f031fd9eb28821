"""Parts of the directory and the need statement are kept in the cache (core/fragments.py,
groups/fragments.py): each edit must show on the next page, never a stale part (issue 22). Every
test reads the page first, so that the part is cached, then changes it through the site or the
services, then reads the page again."""

from datetime import date

import pytest
from django.urls import reverse

from groups.models import BuyerGroup, Membership, NeedStatement
from groups.services.group import end_group
from groups.services.memberships import end_membership
from tests.factories import OrganisationFactory
from tests.groups.conftest import publish_need
from tests.groups.test_content_language_forms import edit_data as group_data
from tests.groups.test_views import edit_data as need_data

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DIRECTORY = "/groups/"


def card(html: str, group: BuyerGroup) -> str:
    """The directory card of this group."""
    start = html.index(f'href="{group.get_absolute_url()}"')
    return html[start : html.index("</li>", start)]


def test_a_renamed_group_shows_its_new_name_and_summary_in_the_directory(client, cast):
    client.force_login(cast.coordinator)
    assert "Fossilfria arbetsmaskiner" in card(client.get(DIRECTORY).content.decode(), cast.group)
    edit = reverse("groups:group-edit", args=[cast.group.slug])
    data = group_data(cast.group, name="Eldrivna arbetsmaskiner", summary="Ny sammanfattning.")
    assert client.post(edit, data).status_code == 302
    shown = card(client.get(DIRECTORY).content.decode(), cast.group)
    assert "Eldrivna arbetsmaskiner" in shown and "Ny sammanfattning." in shown
    assert "Fossilfria" not in shown


def test_the_directory_counts_members_as_they_come_and_go(client, cast):
    assert "2 medlemsmyndigheter" in card(client.get(DIRECTORY).content.decode(), cast.group)
    newcomer = Membership.objects.create(group=cast.group, organisation=OrganisationFactory(), status="active")
    assert "3 medlemsmyndigheter" in card(client.get(DIRECTORY).content.decode(), cast.group)
    end_membership(membership=newcomer, user=cast.coordinator, removed=True)
    end_membership(membership=cast.group.memberships.get(organisation=cast.lund), user=cast.member, removed=False)
    assert "1 medlemsmyndighet" in card(client.get(DIRECTORY).content.decode(), cast.group)


def test_an_ended_group_is_marked_ended_in_the_directory(client, cast):
    assert "Open for new members" in card(client.get(DIRECTORY, **EN).content.decode(), cast.group)
    end_group(group=cast.group, user=cast.coordinator, outcome=BuyerGroup.Outcome.ABANDONED, ended_on=date(2026, 1, 1))
    shown = card(client.get(DIRECTORY, **EN).content.decode(), cast.group)
    assert "Ended: abandoned" in shown and "Open for new members" not in shown


def test_each_language_has_its_own_cards_and_filter_form(client, cast):
    swedish = client.get(DIRECTORY).content.decode()
    english = client.get(DIRECTORY, **EN).content.decode()
    assert "Öppen för nya medlemmar" in card(swedish, cast.group) and "Alla teman" in swedish
    assert "Open for new members" in card(english, cast.group) and "All themes" in english
    assert "Open for new members" not in swedish and "Alla teman" not in english


def test_a_filtered_directory_keeps_what_was_typed(client, cast):
    client.get(DIRECTORY)  # the empty form is cached
    html = client.get(DIRECTORY, {"q": "Fossil"}).content.decode()
    assert 'value="Fossil"' in html and "Fossilfria arbetsmaskiner" in html


def test_a_new_version_shows_its_text_and_requirements_at_once(client, cast):
    client.force_login(cast.coordinator)
    page = cast.need.get_absolute_url()
    assert "Fossilfria hjullastare" in client.get(page).content.decode()
    data = need_data(cast, "Eldrivna hjullastare", cast.need.current_version.number)
    data["requirements-0-text"] = "Tio timmars drift."
    assert client.post(reverse("groups:need-edit", args=[cast.group.slug, cast.need.pk]), data).status_code == 302
    html = client.get(page).content.decode()
    assert "Eldrivna hjullastare" in html and "Tio timmars drift." in html
    assert "Åtta timmars drift" not in html.split('id="comments"')[0].split("Changes not yet published")[-1]
    # the comment form offers the new version's requirements
    assert "R1: Tio timmars drift." in html.split('id="comments"')[1]


def test_the_joint_demand_follows_each_commitment(client, cast):
    need = publish_need(cast)
    endorse = reverse("groups:endorsement-edit", args=[cast.group.slug, need.pk, cast.lund.pk])
    assert "<dd>0</dd>" in client.get(need.get_absolute_url(), **EN).content.decode()
    client.force_login(cast.member)
    client.post(endorse, {"commitment": "committed", "quantity": "8", "unit": "maskiner"})
    client.logout()
    html = client.get(need.get_absolute_url(), **EN).content.decode()
    assert "<dd>1</dd>" in html and "8 maskiner" in html
    client.force_login(cast.member)
    client.post(endorse, {"commitment": "committed", "quantity": "5", "unit": "maskiner"})
    client.logout()
    html = client.get(need.get_absolute_url(), **EN).content.decode()
    assert "5 maskiner" in html and "8 maskiner" not in html


def test_unpublished_changes_and_what_changed_follow_each_edit_and_publication(client, cast):
    need = publish_need(cast)
    client.force_login(cast.coordinator)
    edit = reverse("groups:need-edit", args=[cast.group.slug, need.pk])
    assert "Changes not yet published" not in client.get(need.get_absolute_url(), **EN).content.decode()
    client.post(edit, need_data(cast, "Andra rubriken", 1))
    html = client.get(need.get_absolute_url(), **EN).content.decode()
    assert "Changes not yet published" in html and "Andra rubriken" in html
    client.post(reverse("groups:need-move", args=[cast.group.slug, need.pk]), {"state": "published"})
    client.logout()
    html = client.get(need.get_absolute_url(), **EN).content.decode()
    assert "What changed since version 1" in html and "Andra rubriken" in html
    client.force_login(cast.coordinator)
    need.refresh_from_db()
    client.post(edit, need_data(cast, "Tredje rubriken", need.current_version.number))
    html = client.get(need.get_absolute_url(), **EN).content.decode()
    assert "Changes not yet published" in html and "Tredje rubriken" in html
    client.logout()
    html = client.get(need.get_absolute_url(), **EN).content.decode()  # the market still sees version 2
    assert "Andra rubriken" in html and "Tredje rubriken" not in html


def test_a_withdrawn_need_is_gone_for_the_public_though_its_text_was_cached(client, cast):
    need = publish_need(cast)
    assert client.get(need.get_absolute_url()).status_code == 200
    NeedStatement.objects.filter(pk=need.pk).update(state=NeedStatement.State.DRAFT, published_version=None)
    assert client.get(need.get_absolute_url()).status_code == 404
