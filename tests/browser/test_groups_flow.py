"""A coordinator creates a group, another authority joins, both edit the need, endorse and
publish; the public page shows only the aggregate. axe-core checks every page on the way."""

import re

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from groups.models import BuyerGroup, Membership, NeedStatement
from tests.browser.test_foundation_pages import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def submit(page, form_selector="main form[method=post]"):
    page.locator(form_selector).last.locator("button[type=submit]").last.click()
    page.wait_for_load_state()


def test_group_from_creation_to_published_need(browser, axe, live_server, demo):
    coordinator = browser.new_context(locale="sv-SE").new_page()
    other = browser.new_context(locale="sv-SE").new_page()
    visitor = browser.new_context(locale="sv-SE").new_page()

    # The directory is public and lists the demo groups with their stage.
    visitor.goto(f"{live_server.url}/groups/")
    assert "Fossilfria arbetsmaskiner" in visitor.locator("main").inner_text()
    assert_accessible(visitor, axe)

    # Anna (Växjö kommun) starts a group.
    sign_in(coordinator, live_server, "anna@vaxjo.demo.example")
    coordinator.wait_for_url(re.compile(r"/dashboard/$"))
    coordinator.goto(f"{live_server.url}/groups/new/")
    assert_accessible(coordinator, axe)
    coordinator.fill("input[name=name]", "Smarta vattenmätare")
    coordinator.select_option("select[name=theme]", "digital")
    coordinator.fill("textarea[name=summary]", "Kommuner som vill läsa av vattenmätare på distans.")
    coordinator.fill("textarea[name=challenge]", "Manuell avläsning tar tid och ger fel.")
    submit(coordinator)
    group = BuyerGroup.objects.get(name="Smarta vattenmätare")
    coordinator.wait_for_url(re.compile(rf"/groups/{group.slug}/$"))
    assert_accessible(coordinator, axe)

    # Erik (Lunds kommun) sees the public summary and asks to join.
    sign_in(other, live_server, "erik@lund.demo.example")
    other.wait_for_url(re.compile(r"/dashboard/$"))
    other.goto(f"{live_server.url}/groups/{group.slug}/")
    assert_accessible(other, axe)
    other.fill("textarea[name=motivation]", "Vi byter 4 000 mätare de närmaste åren.")
    submit(other)
    membership = Membership.objects.get(group=group, organisation__name="Lunds kommun")
    assert membership.status == Membership.Status.REQUESTED

    # Anna approves the request.
    coordinator.goto(f"{live_server.url}/groups/{group.slug}/members/")
    assert_accessible(coordinator, axe)
    coordinator.goto(f"{live_server.url}/groups/{group.slug}/members/{membership.pk}/decide/?decision=approve")
    assert_accessible(coordinator, axe)
    submit(coordinator)
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE

    # Anna writes the need with one requirement.
    coordinator.goto(f"{live_server.url}/groups/{group.slug}/needs/new/")
    assert_accessible(coordinator, axe)
    coordinator.fill("input[name=title]", "Fjärravläsning av vattenmätare")
    coordinator.fill("textarea[name=challenge]", "Avläsningen ska ske utan hembesök.")
    coordinator.fill("textarea[name=requirements-0-text]", "Mätarställningen ska kunna läsas av på distans varje dygn.")
    submit(coordinator)
    need = NeedStatement.objects.get(group=group)
    assert need.current_version.requirements[0]["number"] == 1
    assert_accessible(coordinator, axe)

    # Erik edits it: adds a second requirement.
    other.goto(f"{live_server.url}/groups/{group.slug}/needs/{need.pk}/edit/")
    assert_accessible(other, axe)
    other.fill("textarea[name=requirements-1-text]", "Mätaren ska larma vid läckage.")
    other.fill("input[name=change_note]", "Lade till läckagelarm")
    submit(other)
    need.refresh_from_db()
    assert [r["number"] for r in need.current_version.requirements] == [1, 2]

    # Both authorities commit with their own volumes.
    for page, organisation_name, quantity in ((coordinator, "Växjö kommun", "1500"), (other, "Lunds kommun", "2500")):
        organisation = Organisation.objects.get(name=organisation_name)
        page.goto(f"{live_server.url}/groups/{group.slug}/needs/{need.pk}/endorsements/{organisation.pk}/")
        assert_accessible(page, axe)
        page.select_option("select[name=commitment]", "committed")
        page.fill("input[name=decision_reference]", f"Beslut {organisation_name}")
        page.fill("input[name=quantity]", quantity)
        page.fill("input[name=unit]", "mätare")
        submit(page)

    # Anna publishes.
    coordinator.goto(f"{live_server.url}/groups/{group.slug}/needs/{need.pk}/")
    coordinator.locator(f"a[href$='/needs/{need.pk}/state/?state=published']").click()
    coordinator.wait_for_load_state()
    # The confirmation says what publishing does; nothing has happened yet.
    need.refresh_from_db()
    assert need.state != NeedStatement.State.PUBLISHED
    assert_accessible(coordinator, axe)
    coordinator.locator("main form[method=post] button[type=submit]").click()
    coordinator.wait_for_load_state()
    need.refresh_from_db()
    assert need.state == NeedStatement.State.PUBLISHED

    # The public page shows the aggregate and never the breakdown per authority.
    visitor.goto(f"{live_server.url}/groups/{group.slug}/needs/{need.pk}/")
    text = visitor.locator("main").inner_text()
    assert "Fjärravläsning av vattenmätare" in text
    assert re.search(r"4\s?000", text), text
    assert "Beslut Växjö kommun" not in text and "Beslut Lunds kommun" not in text
    assert_accessible(visitor, axe)

    # The history compares two versions.
    coordinator.goto(f"{live_server.url}/groups/{group.slug}/needs/{need.pk}/history/?from=1&to=2")
    assert "läckage" in coordinator.locator("main").inner_text()
    assert_accessible(coordinator, axe)


def test_ending_a_group_asks_for_confirmation_and_the_ended_group_shows_it(browser, axe, live_server, demo):
    """The demo's procured group is marked in the directory and on its page; Anna's group still
    runs an open dialogue, so the form warns, confirms and then refuses."""
    visitor = browser.new_context(locale="sv-SE").new_page()
    visitor.goto(f"{live_server.url}/groups/?outcome=procured")
    assert "Digital trygghetslarm" in visitor.locator("main").inner_text()
    assert "Fossilfria arbetsmaskiner" not in visitor.locator("main").inner_text()
    assert_accessible(visitor, axe)
    visitor.goto(f"{live_server.url}/groups/digitala-trygghetslarm/")
    assert visitor.locator("#group-ending").count() == 1
    assert "EXEMPEL-2026/0001" in visitor.locator("#group-ending").inner_text()
    assert_accessible(visitor, axe)

    coordinator = browser.new_context(locale="sv-SE").new_page()
    sign_in(coordinator, live_server, "anna@vaxjo.demo.example")
    coordinator.wait_for_url(re.compile(r"/dashboard/$"))
    coordinator.goto(f"{live_server.url}/groups/fossilfria-arbetsmaskiner/end/")
    assert_accessible(coordinator, axe)
    coordinator.locator("input[name=outcome][value=abandoned]").check()
    coordinator.fill("textarea[name=reason]", "Budgeten drogs in.")
    submit(coordinator)
    assert coordinator.locator("#ending-summary").count() == 1  # the confirmation: nothing ended yet
    assert not BuyerGroup.objects.get(slug="fossilfria-arbetsmaskiner").is_ended
    assert_accessible(coordinator, axe)
    coordinator.locator("main form button[name=confirmed][value=yes]").click()
    coordinator.wait_for_load_state()
    assert coordinator.locator("main .message-error").count() >= 1  # the open dialogue stops it
    assert not BuyerGroup.objects.get(slug="fossilfria-arbetsmaskiner").is_ended
    assert_accessible(coordinator, axe)
