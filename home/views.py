"""The site's own pages, above every app: the front page, the accessibility statement, each
person's dashboard (which gathers what the apps below have for them) and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from accounts.models import DomainJoinRequest, Invitation, Organisation
from accounts.services import domain_offers
from dialogues.access import dialogues_taken_part_in_by, dialogues_with_every_question_for
from groups.models import BuyerGroup, Membership


@login_not_required
def home(request):
    return render(request, "home.html")


@login_not_required
def accessibility_statement(request):
    return render(request, "pages/accessibility.html")


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


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "csrf_failure.html", status=403)


@login_not_required
def too_many_requests(request, exception=None):
    """allauth's rate limits (sign-in, sign-up, password reset) answer with this page."""
    return render(request, "429.html", status=429)


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
