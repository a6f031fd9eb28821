"""The site's own pages, above every app: the front page, the accessibility statement, each
person's dashboard (which gathers what the apps below have for them) and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import DomainJoinRequest, Invitation, Organisation
from accounts.services import calendar_link_owner, domain_offers
from core.health import run_checks
from core.ical import build_calendar, calendar_response
from core.kept_pages import kept_page
from core.rate_limits import within_limit
from dialogues.access import dialogues_taken_part_in_by, dialogues_with_every_question_for
from dialogues.ical import dialogue_events
from groups.ical import stage_plan_events
from groups.models import BuyerGroup, Membership
from home import accessibility
from home.agenda import AgendaCount, agenda_for, sections

AGENDA_PER_PAGE = 50


@login_not_required
def home(request):
    return render(request, "home.html")


@login_not_required
def accessibility_statement(request):
    context = {
        "known_issues": accessibility.known_issues(),
        "reviewed": accessibility.REVIEWED,
        "contact_email": accessibility.CONTACT_EMAIL,
        "answer_within": accessibility.ANSWER_WITHIN_WORKING_DAYS,
    }
    return render(request, "pages/accessibility.html", context)


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them to the static file."""
    return redirect(static("favicon.ico"))


# What each of core.health's checks means to a person reading the status page.
CHECK_NAMES = {
    "database": _("Database"),
    "channel_layer": _("Live updates in discussions"),
    "broker": _("Background work (e-mail and notifications)"),
    "static_files": _("Page layout files"),
}


@never_cache
@login_not_required
def system_status(request):
    """The health checks (core/health.py) as a page; /health/ stays JSON for machines."""
    report, down = run_checks()
    checks = [{"name": CHECK_NAMES.get(name, name), "up": result["up"]} for name, result in report.items()]
    return render(request, "pages/status.html", {"checks": checks, "down": down}, status=503 if down else 200)


def dashboard(request):
    user = request.user
    affiliations = user.affiliations.select_related("organisation", "organisation__size_class")
    invitations = (
        Invitation.objects.pending()
        .filter(email__in=user.emailaddress_set.filter(verified=True).values("email"))
        .exclude(organisation__staff__user=user)
        .select_related("organisation")
    )
    pending_requests = user.join_requests.filter(status=DomainJoinRequest.Status.PENDING).select_related("organisation")
    context = {
        "groups": BuyerGroup.objects.with_member_user(user).order_by("name"),
        "group_invitations": Membership.objects.filter(
            status=Membership.Status.INVITED, organisation__staff__user=user
        ).select_related("group", "organisation"),
        "affiliations": affiliations,
        "invitations": invitations,
        "offers": domain_offers(user),
        "pending_requests": pending_requests,
        "review_count": Organisation.objects.awaiting_review().count() if user.is_facilitator else 0,
        "dialogues": dialogues_taken_part_in_by(user)
        .published()
        .select_related("group")
        .order_by("submission_deadline"),
        # For facilitators every group's; for member users their groups' (PRODUCT.md §2.4).
        "overdue_dialogues": dialogues_with_every_question_for(user)
        .published()
        .with_overdue_questions()
        .select_related("group")
        .order_by("group__name", "pk"),
    }
    return render(request, "home/dashboard.html", context)


@require_GET
@kept_page
def agenda(request):
    """The person's "To do": what waits for them, the most urgent first (home/agenda.py)."""
    items = agenda_for(request.user)
    # Up to a hundred things from each source: shown a page at a time, the most urgent first.
    page = Paginator(items, AGENDA_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "sections": sections(page.object_list),
        "page": page,
        "count": len(items),
        # the header counts the same items: no second round of queries
        "agenda": AgendaCount(request.user, items=items),
    }
    return render(request, "home/agenda.html", context)


@login_not_required
@require_GET
def calendar_feed(request, token):
    """A person's meetings and deadlines, for a calendar app that subscribes: the secret link is
    the key, no session is needed (accounts.services.calendar_link_owner: 404 for an unknown or
    revoked link, or an account that is deleted or suspended from the site). It holds what the
    person's own pages show them, in their language; private, as a secret link's page is."""
    user = calendar_link_owner(token)
    if user is None:
        raise Http404
    if not within_limit(user=user, action="calendar_feed"):
        return HttpResponse(status=429, headers={"Retry-After": "3600"})
    with translation.override(user.language):
        events = dialogue_events(user) + stage_plan_events(user)
        calendar = build_calendar(name=str(_("Beställargrupper: meetings and deadlines")), events=events)
    return calendar_response(calendar, filename="bestallargrupper.ics")


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)


@login_not_required
def too_many_requests(request, exception=None):
    """allauth's rate limits (sign-in, sign-up, password reset) answer with this page."""
    return render(request, "429.html", status=429)


@login_not_required
def method_not_allowed(request, response):
    """A 405 with the site's page instead of an empty body (Django has no handler405; see
    home.middleware), keeping the Allow header that names the methods that work."""
    page = render(request, "405.html", status=405)
    if allow := response.get("Allow"):
        page["Allow"] = allow
    return page


@login_not_required
def permission_denied(request, exception=None):
    """Django's 403 page, plus what to do next when the refusal says so (a note and a link, as
    dialogues.access.RefusalWithNextStep carries them)."""
    context = {
        "exception": str(exception or ""),
        "note": getattr(exception, "note", ""),
        "link_url": getattr(exception, "link_url", ""),
        "link_text": getattr(exception, "link_text", ""),
    }
    return render(request, "403.html", context, status=403)
