"""An authority administrator answers the goal 5 self-assessment; a facilitator follows the
dashboard with the national reference lines and cannot read the authority's comments.
axe-core checks the authority page, the form (also with an error) and the dashboard."""

import importlib
import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, User
from indicator.models import Assessment, Statement
from tests.browser.test_foundation_pages import assert_accessible, sign_in
from tests.totp import current_code

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "Vi saknar ännu en rutin för dialog under avtalstiden."
SUPPRESSED_SIZE = "1–49 anställda"  # the demo has one or two small other authorities a year


@pytest.fixture
def demo(db):
    # Earlier transactional tests flush the tables, and with them the statements and size
    # classes the migrations seeded: seed them again, as the migrations do.
    for migration in ("accounts.migrations.0002_size_classes", "indicator.migrations.0002_statements"):
        seed = importlib.import_module(migration).Migration.operations[0].code
        seed(django_apps, None)
    call_command("load_demo", stdout=open("/dev/null", "w"))


def sign_in_with_code(page, live_server, email, secret):
    sign_in(page, live_server, email)
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def test_authority_answers_and_facilitator_follows_the_indicator(browser, axe, live_server, demo):
    year = timezone.localdate().year
    vaxjo = Organisation.objects.get(name="Växjö kommun")
    Assessment.objects.filter(organisation=vaxjo, year=year).delete()  # Anna answers this year afresh
    statements = list(Statement.objects.filter(is_active=True))

    # Anna finds the self-assessment from her overview.
    anna = browser.new_context(locale="sv-SE").new_page()
    sign_in(anna, live_server, "anna@vaxjo.demo.example")
    anna.wait_for_url(re.compile(r"/dashboard/$"))
    anna.get_by_role("link", name="Innovationsmognad (indikator för mål 5)").click()
    anna.wait_for_url(re.compile(rf"/indicator/organisations/{vaxjo.pk}/$"))
    assert anna.get_by_role("heading", level=1).inner_text() == "Innovationsmognad: Växjö kommun"
    assert anna.locator("svg[role=img] .reference-line").count() == 2
    assert_accessible(anna, axe)

    anna.get_by_role("link", name=f"Svara för {year}").click()
    anna.wait_for_url(re.compile(rf"/indicator/organisations/{vaxjo.pk}/{year}/$"))
    assert_accessible(anna, axe)

    # Saving with nothing rated is refused in Swedish, and the typed comment stays.
    anna.fill(f"textarea[name=comment_{statements[2].pk}]", COMMENT)
    anna.get_by_role("button", name="Spara självskattningen").click()
    anna.wait_for_load_state()
    assert "Bedöm minst ett påstående" in anna.get_by_role("alert").inner_text()
    assert anna.locator(f"textarea[name=comment_{statements[2].pk}]").input_value() == COMMENT
    assert_accessible(anna, axe)

    # She rates five statements and leaves one unanswered.
    for statement, rating in zip(statements, ["4", "3", "2", "4", "", "3"], strict=True):
        anna.locator(f"input[name=rating_{statement.pk}][value='{rating}']").check()
    anna.get_by_role("button", name="Spara självskattningen").click()
    anna.wait_for_url(re.compile(rf"/indicator/organisations/{vaxjo.pk}/#year-{year}$"))
    main = anna.locator("main").inner_text()
    assert f"Självskattningen för Växjö kommun {year} är sparad." in main
    assert "5 av 6 påståenden bedömda" in main
    assert COMMENT in main
    saved = Assessment.objects.with_score().get(organisation=vaxjo, year=year)
    assert saved.score == pytest.approx(16 / 5) and saved.updated_by.email == "anna@vaxjo.demo.example"
    assert_accessible(anna, axe)

    # The facilitator signs in with two-factor and opens the dashboard from the navigation.
    facilitator = User.objects.get(email="facilitator@demo.example")
    secret = generate_totp_secret()
    TOTP.activate(facilitator, secret)
    fia = browser.new_context(locale="sv-SE").new_page()
    sign_in_with_code(fia, live_server, "facilitator@demo.example", secret)
    fia.get_by_role("link", name="Indikator", exact=True).click()
    fia.wait_for_url(re.compile(r"/indicator/$"))
    charts = fia.locator("svg[role=img]")
    assert charts.count() == 4
    for index in range(4):
        chart = charts.nth(index)
        assert chart.locator(".reference-line").count() == 2
        assert "nollmätningen 2016 (publicerad 2017)" in chart.text_content()
        assert "uppföljningen 2018" in chart.text_content()
    assert fia.locator("table caption", has_text="Siffror:").count() == 4
    assert_accessible(fia, axe)

    # Filtering to state agencies leaves only them in the chart by kind.
    fia.select_option("select[name=kind]", "statlig_myndighet")
    fia.get_by_role("button", name="Visa", exact=True).click()
    fia.wait_for_url(re.compile(r"kind=statlig_myndighet"))
    kind_table = fia.locator("table", has_text="Siffror: Viktat medelvärde efter typ av organisation")
    rows = kind_table.locator("tbody th").all_inner_texts()
    assert rows == ["Alla myndigheter", "Statlig myndighet"]
    assert_accessible(fia, axe)

    # Other authorities, of the few of their size, are one or two: their figures are not shown.
    fia.select_option("select[name=kind]", "other_authority")
    fia.select_option("select[name=size_class]", label=SUPPRESSED_SIZE)
    fia.get_by_role("button", name="Visa", exact=True).click()
    fia.wait_for_url(re.compile(r"kind=other_authority"))
    assert fia.locator("td.suppressed").count() > 0
    assert fia.locator(".suppressed-note").first.is_visible()
    assert_accessible(fia, axe)

    # The response rate and the authorities that have not answered this year.
    fia.goto(f"{live_server.url}/indicator/responses/")
    assert fia.locator("main table").count() == 3
    assert_accessible(fia, axe)

    # On Växjö's page she sees the score but not the comment.
    fia.goto(f"{live_server.url}/indicator/organisations/{vaxjo.pk}/")
    main = fia.locator("main").inner_text()
    assert "5 av 6 påståenden bedömda" in main
    assert COMMENT not in main
    assert fia.get_by_role("link", name=f"Ändra svaren för {year}").count() == 0
    assert_accessible(fia, axe)
