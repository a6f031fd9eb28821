"""What the accessibility statement (pages/accessibility.html) says the service fails, as data.

The law (lag 2018:1937) asks for an honest statement: each known failure with the WCAG criterion it
breaks, since when we know, and what we will do about it. Keep this list true when something is
fixed or found, and move REVIEWED on when the statement has been read through again;
tests/home/test_accessibility_statement.py fails when a year has passed since, and when a known
cause of a failure listed here is still in the code but the entry is gone (or the reverse).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

REVIEWED = date(2026, 12, 6)
CONTACT_EMAIL = "tillganglighet@bestallargrupper.example"
ANSWER_WITHIN_WORKING_DAYS = 5

# WCAG 2.2.1: a time limit shorter than 20 hours needs a warning at least 20 seconds before it, with a
# simple way to extend it (static/js/session-timeout.js, SESSION_WARNING_SECONDS); a limit that
# cannot be extended is allowed only when it is at least 20 hours.
TIME_LIMIT_WITHOUT_WARNING_SECONDS = 20 * 3600
SHORTEST_WARNING_SECONDS = 20


@dataclass(frozen=True)
class KnownIssue:
    criterion: str  # WCAG 2.1 success criterion number
    criterion_name: str
    problem: str
    known_since: date
    plan: str
    fix_by: date | None


def shortest_idle_limit_seconds() -> int:
    return 60 * min(settings.SESSION_IDLE_MINUTES, settings.PRIVILEGED_SESSION_IDLE_MINUTES)


def warns_before_signing_out() -> bool:
    return settings.SESSION_WARNING_SECONDS >= SHORTEST_WARNING_SECONDS


def unwarned_idle_limit() -> KnownIssue | None:
    """The idle limit, while there is no warning before it with a button to stay signed in."""
    if warns_before_signing_out() or shortest_idle_limit_seconds() >= TIME_LIMIT_WITHOUT_WARNING_SECONDS:
        return None
    return KnownIssue(
        criterion="2.2.1",
        criterion_name=_("Timing adjustable"),
        problem=_(
            "You are signed out without a warning after %(idle)s without using the service "
            "(facilitators after %(privileged_idle)s), and text you have written in a form but not "
            "sent is lost."
        )
        % {
            "idle": hours(settings.SESSION_IDLE_MINUTES),
            "privileged_idle": hours(settings.PRIVILEGED_SESSION_IDLE_MINUTES),
        },
        known_since=date(2026, 12, 5),
        plan=_("A warning a few minutes before, with a button to stay signed in."),
        fix_by=date(2027, 3, 31),
    )


def unextendable_lifetime() -> KnownIssue | None:
    """The lifetime of a session, which staying signed in cannot move (accounts/session_policy.py),
    when it is shorter than 20 hours: for facilitators and staff it is, for security, on purpose.
    WCAG 2.2.1 has no exception for security, so the statement says so instead of claiming one."""
    lifetime, privileged = settings.SESSION_LIFETIME_HOURS, settings.PRIVILEGED_SESSION_LIFETIME_HOURS
    if 3600 * min(lifetime, privileged) >= TIME_LIMIT_WITHOUT_WARNING_SECONDS:
        return None
    if 3600 * lifetime < TIME_LIMIT_WITHOUT_WARNING_SECONDS:
        problem = _(
            "You are signed out %(lifetime)s after signing in, however much you use the service, and "
            "this time cannot be extended."
        ) % {"lifetime": hours(60 * min(lifetime, privileged))}
    else:
        problem = _(
            "Facilitators and staff are signed out %(lifetime)s after signing in, however much they use "
            "the service, and this time cannot be extended."
        ) % {"lifetime": hours(60 * privileged)}
    plan = _("We keep this limit for the security of the organisations' information.")
    if warns_before_signing_out():
        problem += " " + _("A warning a few minutes before says when.")
        plan += " " + _("Text you have written but not sent stays on the page, to send after signing in again.")
    return KnownIssue(
        criterion="2.2.1",
        criterion_name=_("Timing adjustable"),
        problem=problem,
        known_since=date(2026, 12, 5),
        plan=plan,
        fix_by=None,
    )


def known_issues() -> list[KnownIssue]:
    """The failures we know of, in the active language (call it while answering a request)."""
    issues = [issue for issue in (unwarned_idle_limit(), unextendable_lifetime()) if issue is not None]
    issues.append(
        KnownIssue(
            criterion="3.1.2",
            criterion_name=_("Language of parts"),
            problem=_(
                "Texts are marked with the language chosen for their group, dialogue or organisation. "
                "A message or an answer written in another language is read out by screen readers with "
                "the pronunciation of the chosen language. Where a name of a group or a dialogue is part of "
                "a sentence of the service's own (some headings, page titles and notifications), it is read "
                "in the page's language."
            ),
            known_since=date(2026, 12, 6),
            plan=_(
                "Let the writer say which language a message or an answer is in, and mark names inside "
                "the service's sentences."
            ),
            fix_by=date(2027, 6, 30),
        )
    )
    return issues


def hours(minutes: int) -> str:
    count = minutes // 60
    if minutes % 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
