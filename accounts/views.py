import copy
import time

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from accounts.access import (
    get_organisation_for_staff,
    get_organisation_offered_to,
    require_facilitator,
    require_rejected,
    require_verified,
)
from accounts.forms import (
    DeleteAccountForm,
    DomainForm,
    InvitationForm,
    OrganisationForm,
    OrganisationIdentityForm,
    OrganisationReviewForm,
    ProfileForm,
)
from accounts.models import (
    CalendarLink,
    DomainJoinRequest,
    Invitation,
    Organisation,
    OrganisationDomain,
    OrganisationMember,
)
from accounts.personal_data import ARCHIVE_NAME, export_personal_data
from accounts.services import (
    accept_invitation,
    create_organisation,
    decide_domain_join,
    delete_account,
    invite_colleague,
    organisations_left_behind,
    register_domain,
    remove_domain,
    renew_calendar_link,
    request_domain_join,
    resubmit_organisation,
    review_organisation,
    revoke_calendar_link,
    revoke_invitation,
)
from accounts.session_policy import stay_signed_in, time_left
from core.private_responses import mark_private
from core.reauthentication import sensitive_action
from core.streaming import streamed_chunks
from notifications.services import absolute_url


@login_not_required
def language_set(request):
    """Django's set_language, plus: a signed-in user's choice is saved in their profile."""
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in ("sv", "en"):
        request.user.language = language
        request.user.save(update_fields=["language"])
    if request.method == "POST" and language in ("sv", "en"):
        # What this request still says (a message, the page set_language may render) is said
        # in the language just chosen, not the one being left.
        translation.activate(language)
        request.LANGUAGE_CODE = language
    return set_language(request)


def _time_left_answer(request, now: float) -> dict:
    if not request.user.is_authenticated:
        return {"signed_in": False, "seconds": 0, "extendable": False}
    left = time_left(request.user, request.session, now)
    return {"signed_in": True, "seconds": left.seconds, "extendable": left.extendable}


@login_not_required  # a page whose session has just ended asks too, and hears that it has
@require_GET
def session_status(request):
    """How long the session has left. Asking is not activity (accounts.middleware.
    SessionLifetimeMiddleware), so a tab about to warn hears of what another tab did."""
    return JsonResponse(_time_left_answer(request, time.time()))


@require_POST
def session_stay(request):
    """ "Stay signed in" on the warning before the idle limit (static/js/session-timeout.js; the
    same form without JavaScript comes back to the page it was sent from)."""
    now = time.time()
    stay_signed_in(request.session, now)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(_time_left_answer(request, now))
    next_url = request.POST.get(REDIRECT_FIELD_NAME, "")
    same_site = url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure())
    if not (same_site and next_url.startswith("/")):
        next_url = reverse("home:dashboard")
    return HttpResponseRedirect(next_url)


@login_not_required
def admin_sign_in(request):
    """Django admin's sign-in page (config/urls.py puts it in place of the admin's password form):
    the admin is entered through the site's sign-in, with its rate limits and two-factor."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied(_("Only the platform's administrators can use the admin."))
    return redirect(next_url)


def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = create_organisation(creator=request.user, **form.cleaned_data)
        messages.success(
            request,
            _(
                "%(organisation)s is registered. A facilitator at Upphandlingsmyndigheten will verify it; "
                "until then you can read but not act."
            )
            % {"organisation": organisation.name},
        )
        return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form})


def organisation_detail(request, pk):
    organisation = get_organisation_for_staff(request.user, pk)
    return render(request, "accounts/organisation_detail.html", _organisation_context(request, organisation))


def organisation_edit(request, pk):
    """The administrators keep what else the organisation is known by: short names and
    trademarks, website and phone (market dialogues check published texts against them), and
    its county."""
    organisation = get_organisation_for_staff(request.user, pk, admin=True)
    form = OrganisationIdentityForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The organisation's details are saved."))
        return redirect(organisation)
    return render(
        request,
        "accounts/organisation_edit.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def organisation_resubmit(request, pk):
    """A rejected registration, corrected by an administrator and sent for review again."""
    organisation = get_organisation_for_staff(request.user, pk, admin=True)
    require_rejected(organisation)
    # A copy for the form: a failed POST must not rename the page it is shown on.
    form = OrganisationForm(request.POST or None, instance=copy.copy(organisation))
    if request.method == "POST" and form.is_valid():
        resubmit_organisation(organisation=organisation, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("%(organisation)s is sent for review again. A facilitator at Upphandlingsmyndigheten will verify it.")
            % {"organisation": organisation.name},
        )
        return redirect(organisation)
    return render(
        request,
        "accounts/organisation_resubmit.html",
        {"organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _organisation_context(request, organisation, **forms) -> dict:
    """The organisation page; a failed form passed in keeps what was typed."""
    is_admin = request.user.is_admin_of(organisation)
    context = {
        "organisation": organisation,
        "is_admin": is_admin,
        "staff": organisation.staff.filter(user__deleted_at__isnull=True).select_related("user").order_by("user__name"),
        "domains": organisation.domains.all(),
    }
    if is_admin:
        context.update(
            {
                "invitation_form": InvitationForm(organisation=organisation),
                "domain_form": DomainForm(user=request.user),
                "invitations": organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
                .select_related("invited_by")
                .order_by("-created_at"),
                "join_requests": organisation.join_requests.filter(
                    status=DomainJoinRequest.Status.PENDING
                ).select_related("user"),
            }
        )
    context.update(forms)
    return context


@require_POST
@sensitive_action
def invitation_create(request, pk):
    organisation = get_organisation_for_staff(request.user, pk, admin=True)
    require_verified(organisation)
    form = InvitationForm(request.POST, organisation=organisation)
    if form.is_valid():
        invite_colleague(
            organisation=organisation,
            invited_by=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect(organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        _organisation_context(request, organisation, invitation_form=form),
        status=400,
    )


@require_POST
def invitation_revoke(request, pk, invitation_pk):
    organisation = get_organisation_for_staff(request.user, pk, admin=True)
    invitation = get_object_or_404(Invitation.objects.pending(), pk=invitation_pk, organisation=organisation)
    revoke_invitation(invitation=invitation)
    messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
    return redirect(organisation)


def invitation_accept(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    own_addresses = {a.email.lower() for a in request.user.emailaddress_set.filter(verified=True)}
    problem = None
    if invitation.accepted_at:
        problem = _("This invitation has already been used.")
    elif invitation.revoked_at:
        problem = _("This invitation was withdrawn by the organisation.")
    elif invitation.is_expired():
        problem = _("This invitation has expired. Ask the organisation's administrator for a new one.")
    elif invitation.email.lower() not in own_addresses:
        problem = _(
            "This invitation was sent to %(email)s. Sign in with that address, or add and verify it "
            "under your e-mail settings, to accept it."
        ) % {"email": invitation.email}
    if request.method == "POST" and problem is None:
        accept_invitation(invitation=invitation, user=request.user)
        messages.success(
            request, _("You are now part of %(organisation)s.") % {"organisation": invitation.organisation}
        )
        return redirect(invitation.organisation)
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation, "problem": problem})


@require_POST
@sensitive_action
def domain_create(request, pk):
    organisation = get_organisation_for_staff(request.user, pk, admin=True)
    require_verified(organisation)
    form = DomainForm(request.POST, user=request.user)
    if form.is_valid():
        register_domain(organisation=organisation, domain=form.cleaned_data["domain"], added_by=request.user)
        messages.success(
            request,
            _("People who sign up with an address on %(domain)s will be offered to join.")
            % {"domain": form.cleaned_data["domain"]},
        )
        return redirect(organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        _organisation_context(request, organisation, domain_form=form),
        status=400,
    )


@sensitive_action(allow_get=True)
def domain_delete(request, pk, domain_pk):
    organisation = get_organisation_for_staff(request.user, pk, admin=True)
    domain = get_object_or_404(OrganisationDomain, pk=domain_pk, organisation=organisation)
    if request.method == "POST":
        remove_domain(domain=domain, removed_by=request.user)
        messages.success(request, _("%(domain)s was removed.") % {"domain": domain.domain})
        return redirect(organisation)
    return render(request, "accounts/domain_confirm_delete.html", {"organisation": organisation, "domain": domain})


@require_POST
def domain_join_request(request, pk):
    organisation = get_organisation_offered_to(request.user, pk)
    request_domain_join(organisation=organisation, user=request.user)
    messages.success(
        request,
        _("Your request was sent to the administrators of %(organisation)s.") % {"organisation": organisation},
    )
    return redirect("home:dashboard")


@require_POST
@sensitive_action
def domain_join_decide(request, pk, request_pk):
    organisation = get_organisation_for_staff(request.user, pk, admin=True)
    join_request = get_object_or_404(
        DomainJoinRequest, pk=request_pk, organisation=organisation, status=DomainJoinRequest.Status.PENDING
    )
    accept = request.POST.get("decision") == "accept"
    decide_domain_join(join_request=join_request, admin=request.user, accept=accept)
    if accept:
        messages.success(request, _("%(person)s was added.") % {"person": join_request.user})
    else:
        messages.success(request, _("The request from %(person)s was declined.") % {"person": join_request.user})
    return redirect(organisation)


def organisation_review_list(request):
    require_facilitator(request.user)
    status = request.GET.get("status", Organisation.Status.UNVERIFIED)
    if status not in Organisation.Status.values:
        status = Organisation.Status.UNVERIFIED
    organisations = (
        Organisation.objects.filter(status=status)
        .select_related("size_class", "created_by")
        .prefetch_related(Prefetch("staff", queryset=OrganisationMember.objects.select_related("user")))
        .order_by("created_at")
    )
    return render(
        request,
        "accounts/organisation_review_list.html",
        {"organisations": organisations, "status": status, "statuses": Organisation.Status.choices},
    )


@sensitive_action(allow_get=True)
def organisation_review(request, pk):
    require_facilitator(request.user)
    organisation = get_object_or_404(Organisation.objects.select_related("created_by", "reviewed_by"), pk=pk)
    form = OrganisationReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verify = form.cleaned_data["decision"] == "verify"
        review_organisation(
            organisation=organisation, reviewer=request.user, verify=verify, reason=form.cleaned_data["reason"]
        )
        if verify:
            messages.success(request, _("%(organisation)s is verified.") % {"organisation": organisation})
        else:
            messages.success(request, _("%(organisation)s was rejected.") % {"organisation": organisation})
        return redirect("accounts:organisation-review-list")
    return render(request, "accounts/organisation_review.html", {"organisation": organisation, "form": form})


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(request.user.language)  # the message speaks the language just chosen
        request.LANGUAGE_CODE = request.user.language
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        response.set_cookie("django_language", request.user.language, samesite="Lax")
        return response
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "calendar_link": CalendarLink.objects.filter(user=request.user).first(),
            # Shown once, on the page the person lands on after making it: only its hash is kept.
            "new_calendar_url": request.session.pop(NEW_CALENDAR_URL_KEY, ""),
        },
    )


NEW_CALENDAR_URL_KEY = "new-calendar-url"


def calendar_link_renew(request):
    """GET asks for confirmation (the old link stops working); POST makes the new link."""
    link = CalendarLink.objects.filter(user=request.user).first()
    if request.method == "POST":
        token = renew_calendar_link(user=request.user)
        request.session[NEW_CALENDAR_URL_KEY] = absolute_url(reverse("home:calendar-feed", args=[token]))
        messages.success(request, _("Your new calendar link is ready. Copy it now: it is shown only once."))
        return redirect(reverse("accounts:profile") + "#calendar-heading")
    return render(request, "accounts/calendar_link_renew.html", {"calendar_link": link})


@require_POST
def calendar_link_revoke(request):
    revoke_calendar_link(user=request.user)
    messages.success(request, _("Your calendar link is revoked: calendars that used it get nothing more."))
    return redirect(reverse("accounts:profile") + "#calendar-heading")


@sensitive_action
def personal_data_export(request):
    archive = export_personal_data(user=request.user)
    response = StreamingHttpResponse(streamed_chunks(request, archive), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{ARCHIVE_NAME}"'
    return mark_private(response)


@sensitive_action
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        delete_account(user=request.user)
        logout(request)
        messages.success(request, _("Your account is deleted. What you wrote stays, shown as a deleted user."))
        return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "left_behind": organisations_left_behind(request.user)},
    )
