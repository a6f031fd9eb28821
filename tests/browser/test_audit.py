"""A facilitator opens the audit log from the navigation, filters it (with a mistake first)
and downloads the CSV; axe-core checks the page with entries, with an error and empty."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import User
from audit.models import Action, AuditEntry
from tests.browser.test_foundation_pages import assert_accessible
from tests.browser.test_indicator import demo, sign_in_with_code  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_facilitator_reads_filters_and_exports_the_audit_log(browser, axe, live_server, demo):  # noqa: F811
    # The demo was built through the services, so the log already holds its decisions.
    assert AuditEntry.objects.filter(action=Action.MEMBERSHIP_APPROVED).exists()
    facilitator = User.objects.get(email="facilitator@demo.example")
    secret = generate_totp_secret()
    TOTP.activate(facilitator, secret)
    fia = browser.new_context(locale="sv-SE", accept_downloads=True).new_page()
    fia.set_default_timeout(15_000)
    sign_in_with_code(fia, live_server, "facilitator@demo.example", secret)

    fia.get_by_role("link", name="Granskningslogg", exact=True).click()
    fia.wait_for_url(re.compile(r"/audit/$"))
    assert fia.get_by_role("heading", level=1).inner_text() == "Granskningslogg"
    assert "godkände en ansökan om medlemskap" in fia.locator("table").inner_text()
    assert_accessible(fia, axe)

    # A date the browser's date field would not send (a hand-edited address) gets a Swedish
    # message, not an error page.
    anna = User.objects.get(email="anna@vaxjo.demo.example")
    fia.goto(f"{live_server.url}/audit/?date_from=2026-13-45&actor={anna.pk}")
    assert fia.locator("select[name=actor]").input_value() == str(anna.pk)
    # The page's one error summary (core/form_errors.py) announces it, linked to the field.
    summary = fia.get_by_role("alert")
    assert "Från datum: Ange ett datum som ÅÅÅÅ-MM-DD" in summary.inner_text()
    assert summary.get_by_role("link").first.get_attribute("href") == "#id_date_from"
    assert "Några filter är felaktiga" in fia.locator("main").inner_text()
    assert_accessible(fia, axe)

    # Filtering by an action with no entries shows the empty state.
    fia.goto(f"{live_server.url}/audit/?action={Action.USER_SUSPENDED}")
    assert "Ingen post matchar filtren." in fia.locator("main").inner_text()
    assert_accessible(fia, axe)

    # Filtering by approvals and downloading them.
    fia.goto(f"{live_server.url}/audit/")
    fia.select_option("select[name=action]", Action.MEMBERSHIP_APPROVED.value)
    fia.get_by_role("button", name="Visa", exact=True).click()
    fia.wait_for_url(re.compile(r"action=membership.approved"))
    with fia.expect_download() as download:
        fia.get_by_role("link", name="Ladda ned de här posterna (CSV)").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert content.splitlines()[0].startswith("Tid,Utförare")
    assert "membership.approved" in content and "membership.declined" not in content
    assert AuditEntry.objects.filter(action=Action.AUDIT_EXPORTED, actor_id=facilitator.pk).exists()
