"""Sign in through the real pages in chromium and check each main page with axe-core."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Organisation
from tests.totp import current_code

pytestmark = pytest.mark.django_db(transaction=True)

SERIOUS = {"serious", "critical"}


def assert_accessible(page, axe):
    results = axe.run(page)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert not problems, f"{page.url}\n" + "\n".join(problems)


def sign_in(page, live_server, email, password="demo-2026"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_public_pages_are_accessible(page, axe, live_server, demo):
    for path in [
        "/",
        "/accessibility/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/indicator/statistics/",
    ]:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page, axe)
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert_accessible(page, axe)


def test_authority_admin_signs_in_and_visits_main_pages(page, axe, live_server, demo):
    sign_in(page, live_server, "anna@vaxjo.demo.example")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert_accessible(page, axe)

    vaxjo = Organisation.objects.get(name="Växjö kommun")
    for path in [
        vaxjo.get_absolute_url(),
        "/organisations/new/",
        "/profile/",
        "/profile/delete/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page, axe)

    # A form with bad input keeps what was typed and shows the error in Swedish.
    page.goto(live_server.url + "/organisations/new/")
    page.fill("input[name=name]", "Testbolaget i Växjö AB")
    page.select_option("select[name=kind]", "supplier")
    page.fill("input[name=organisation_number]", "212000-0143")
    page.locator("main form button[type=submit]").click()
    assert page.locator("input[name=name]").input_value() == "Testbolaget i Växjö AB"
    assert "kontrollsiffra" in page.locator("main").inner_text()
    assert_accessible(page, axe)


def test_english_is_one_switch_away(page, axe, live_server, demo):
    page.goto(live_server.url + "/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Buy innovation together"
    assert_accessible(page, axe)


def test_facilitator_sets_up_two_factor_then_verifies_an_organisation(page, axe, live_server, demo):
    sign_in(page, live_server, "facilitator@demo.example")
    # Facilitators are sent to set up TOTP before anything else (the demo exemption needs DEBUG);
    # allauth asks for the password once more before two-factor settings change.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    assert_accessible(page, axe)
    page.fill("input[name=password]", "demo-2026")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert_accessible(page, axe)
    page.goto(live_server.url + "/dashboard/")
    assert "/accounts/2fa/totp/activate/" in page.url  # still no way around it

    # Setting the app up (with its first code) counts as this session's two-factor step.
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    code = current_code(secret)
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    assert Authenticator.objects.filter(user__email="facilitator@demo.example", type="totp").exists()
    page.goto(live_server.url + "/organisations/review/")
    assert page.get_by_role("heading", level=1).count() == 1
    assert "Oprövad Leverantör AB" in page.locator("main").inner_text()
    assert_accessible(page, axe)

    unverified = Organisation.objects.get(name="Oprövad Leverantör AB")
    page.goto(live_server.url + f"/organisations/review/{unverified.pk}/")
    assert_accessible(page, axe)
    page.locator("input[name=decision][value=verify]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/organisations/review/$"))
    unverified.refresh_from_db()
    assert unverified.is_verified

    # Signing in again asks for the code from the authenticator app.
    page.context.clear_cookies()
    sign_in(page, live_server, "facilitator@demo.example")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_accessible(page, axe)
    code = current_code(secret)
    page.fill("input[name=code]", code)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/dashboard/$"))


def test_a_failed_sign_in_moves_focus_to_the_error_summary(page, axe, live_server, demo):
    sign_in(page, live_server, "anna@vaxjo.demo.example", password="not-the-password")
    # static/js/error-summary.js runs deferred, after the summary is in the page
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.title().startswith("Fel: ") or page.title().startswith("Error: ")  # until sv has the string
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
    assert_accessible(page, axe)
    page.locator("#error-summary a").first.click()
    expect(page.locator("#id_login")).to_be_focused()
