"""The site's own pages, above every app: the front page, the accessibility statement and each
person's dashboard, which gathers what the apps below have for them."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from accounts.models import DomainJoinRequest, Invitation, Organisation
from accounts.services import domain_offers
from dialogues.models import Dialogue
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
        "dialogues": Dialogue.objects.published()
        .with_supplier_user(user)
        .select_related("group")
        .order_by("submission_deadline"),
        "overdue_dialogues": _dialogues_with_overdue_questions(user),
    }
    return render(request, "home/dashboard.html", context)


def _dialogues_with_overdue_questions(user):
    """For facilitators every group's; for group member users their groups' (PRODUCT.md §2.4)."""
    dialogues = Dialogue.objects.published()
    if not user.is_facilitator:
        dialogues = dialogues.filter(
            group__memberships__organisation__staff__user=user,
            group__memberships__status=Membership.Status.ACTIVE,
            group__memberships__role=Membership.Role.MEMBER,
        )
    return dialogues.with_overdue_questions().select_related("group").order_by("group__name", "pk")
