"""The accessibility statement lists the known failures with their criteria, dates and a contact,
and stays true: it must be reviewed within a year, and what the code does decides whether the
time-limit failure is listed (home/accessibility.py)."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from home import accessibility
from tests.security.test_visible_language import visible_text

pytestmark = pytest.mark.django_db


def statement(client, language="sv") -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def test_each_known_failure_is_listed_with_its_criterion_dates_and_plan(client):
    html = statement(client)
    text = visible_text(html)
    with translation.override("sv"):
        issues = accessibility.known_issues()
    assert issues
    for issue in issues:
        assert f"WCAG 2.1 framgångskriterium {issue.criterion} {issue.criterion_name}" in text
        assert issue.problem in text and issue.plan in text
        assert f"Känt sedan {issue.known_since.day} " in text
        if issue.fix_by:
            assert f"Ska vara åtgärdat senast {issue.fix_by.day} " in text
    assert "Granskad senast" not in text  # the wording is the statement's own, below
    assert re.search(r"Redogörelsen granskades senast \d+ \w+ 20\d\d", text)


def test_the_statement_names_a_contact_and_the_supervisor(client):
    html = statement(client)
    assert f'<a href="mailto:{accessibility.CONTACT_EMAIL}">{accessibility.CONTACT_EMAIL}</a>' in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html
    assert f"inom {accessibility.ANSWER_WITHIN_WORKING_DAYS} arbetsdagar" in visible_text(html)


def test_the_statement_reads_in_english_too(client):
    text = visible_text(statement(client, "en"))
    assert "WCAG 2.1 success criterion 2.2.1 Timing adjustable" in text
    assert "Known since 5 December 2026." in text


def test_the_statement_has_been_reviewed_within_a_year():
    """DOS-lagen wants the statement kept up to date: read it through again and move REVIEWED."""
    assert accessibility.REVIEWED <= timezone.localdate()
    assert timezone.localdate() - accessibility.REVIEWED <= timedelta(days=365), (
        "The accessibility statement has not been reviewed for a year: check home/accessibility.py"
    )


def test_every_issue_is_dated_sensibly():
    for issue in accessibility.known_issues():
        assert date(2026, 1, 1) <= issue.known_since <= accessibility.REVIEWED
        assert issue.fix_by is None or issue.fix_by > issue.known_since
        assert re.fullmatch(r"\d\.\d\.\d{1,2}", issue.criterion)


def test_the_idle_limit_is_listed_only_while_there_is_no_warning_before_it(settings):
    """WCAG 2.2.1: pages warn before the idle limit with a button to stay signed in
    (static/js/session-timeout.js); turned off, or warning less than 20 seconds before, the idle
    limit under 20 hours is a failure again. The limits come from settings; the statement follows."""
    assert settings.SESSION_WARNING_SECONDS >= 20
    assert accessibility.unwarned_idle_limit() is None
    for too_short in (0, 19):
        settings.SESSION_WARNING_SECONDS = too_short
        assert accessibility.unwarned_idle_limit() in accessibility.known_issues()
    settings.SESSION_IDLE_MINUTES = settings.PRIVILEGED_SESSION_IDLE_MINUTES = 20 * 60
    assert accessibility.unwarned_idle_limit() is None


def test_a_lifetime_shorter_than_twenty_hours_is_listed_as_it_cannot_be_extended(settings):
    """Staying signed in moves only the idle limit; facilitators' 12-hour lifetime is kept for
    security, and WCAG 2.2.1 has no exception for that: the statement says so."""
    issue = accessibility.unextendable_lifetime()
    assert issue in accessibility.known_issues() and issue.criterion == "2.2.1" and issue.fix_by is None
    settings.PRIVILEGED_SESSION_LIFETIME_HOURS = 20
    assert accessibility.unextendable_lifetime() is None
    assert "2.2.1" not in {issue.criterion for issue in accessibility.known_issues()}


def test_the_lifetime_entry_says_the_limit_and_the_warning(client, settings):
    text = visible_text(statement(client, "en"))
    assert "Facilitators and staff are signed out 12 hours after signing in" in text
    assert "A warning a few minutes before says when." in text
    settings.SESSION_WARNING_SECONDS = 0
    assert "A warning a few minutes before says when." not in visible_text(statement(client, "en"))


def test_the_time_limit_entry_says_the_limits_the_service_has(client, settings):
    settings.SESSION_WARNING_SECONDS = 0
    settings.SESSION_IDLE_MINUTES, settings.PRIVILEGED_SESSION_IDLE_MINUTES = 8 * 60, 90
    text = visible_text(statement(client))
    assert "efter 8 timmar utan att använda tjänsten (processledare efter 90 minuter)" in text
