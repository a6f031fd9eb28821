"""The one place that answers "may this user see or answer this organisation's
self-assessment?". Views call the fetch-or-refuse helpers on their first line.

- The organisation's own people see its page, with every answer and comment.
- Facilitators see every authority's page, scores and ratings, but never the comments: they
  are the organisation's own notes.
- Only an administrator of a verified contracting authority, or a colleague an
  administrator delegated, answers for it.
- Everyone else gets 404 (nothing to probe); suppliers and the facilitating agency, which
  have no self-assessment, get 403 with the reason.
- The figures across authorities (dashboard, exports, response rate) and the list of
  authorities that have not answered are for facilitators only: everyone else gets 403.
  The one exception is public on purpose: the yearly averages of all self-assessments
  (indicator/statistics.py, the page "Goal 5 in figures" and the open-data API), which go
  through the same small-cell rule.
- Facilitators write to many people at once (outreach) and see every letter sent; a person a
  letter went to reads that letter; everyone else gets 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.access import require_facilitator
from accounts.models import Organisation
from indicator.models import Delegation, OutreachMessage, answerable_years


@dataclass(frozen=True)
class IndicatorAccess:
    is_own: bool = False  # the user works for the organisation
    is_admin: bool = False
    is_delegate: bool = False
    is_facilitator: bool = False

    @property
    def can_see_comments(self) -> bool:
        return self.is_own

    @property
    def can_answer(self) -> bool:
        return self.is_admin or self.is_delegate

    @property
    def can_delegate(self) -> bool:
        return self.is_admin


def indicator_access(user, organisation: Organisation) -> IndicatorAccess:
    if not user.is_authenticated:
        return IndicatorAccess()
    is_own = user.is_member_of(organisation)
    is_admin = user.is_admin_of(organisation)
    return IndicatorAccess(
        is_own=is_own,
        is_admin=is_admin,
        is_delegate=is_own
        and not is_admin
        and Delegation.objects.filter(organisation=organisation, user=user).exists(),
        is_facilitator=user.is_facilitator,
    )


def get_organisation_for_indicator(user, pk, *, manage_delegations=False) -> tuple[Organisation, IndicatorAccess]:
    """The authority and the user's access, for its own people and facilitators; 404 for
    everyone else. manage_delegations=True also requires an administrator of a verified authority."""
    organisation = get_object_or_404(Organisation.objects.select_related("size_class"), pk=pk)
    access = indicator_access(user, organisation)
    if not (access.is_own or access.is_facilitator):
        raise Http404
    if not organisation.is_authority:
        raise PermissionDenied(
            _(
                "The innovation maturity self-assessment is for contracting authorities. "
                "%(organisation)s is not one, so it has no self-assessment."
            )
            % {"organisation": organisation.name}
        )
    if manage_delegations:
        if not access.can_delegate:
            raise PermissionDenied(_("Only the organisation's administrators can do this."))
        require_verified_authority(organisation)
    return organisation, access


def get_organisation_for_answering(user, pk, year) -> tuple[Organisation, IndicatorAccess]:
    """As get_organisation_for_indicator, and the user may answer for the year: an
    administrator or a delegated colleague, of a verified authority, in an open year."""
    organisation, access = get_organisation_for_indicator(user, pk)
    if not access.can_answer:
        if access.is_own:
            raise PermissionDenied(
                _(
                    "Only the organisation's administrators, and colleagues they choose, answer the "
                    "self-assessment. Ask an administrator of %(organisation)s."
                )
                % {"organisation": organisation.name}
            )
        raise PermissionDenied(_("Facilitators follow the indicator; each authority answers for itself."))
    require_verified_authority(organisation)
    first, last = answerable_years()
    if not first <= year <= last:
        raise PermissionDenied(
            _(
                "The self-assessment for %(year)s cannot be answered or changed now. An assessment is "
                "answered during its year and the year after: now %(first)s or %(last)s."
            )
            % {"year": year, "first": first, "last": last}
        )
    return organisation, access


def require_verified_authority(organisation: Organisation) -> None:
    if not organisation.is_verified:
        raise PermissionDenied(
            _(
                "%(organisation)s has not been verified by Upphandlingsmyndigheten yet. Until it is, "
                "it cannot answer the self-assessment."
            )
            % {"organisation": organisation.name}
        )


def require_indicator_facilitator(user) -> None:
    """The dashboard, its exports, the response rate and the authorities that have not
    answered: facilitators only (403 for everyone else, who can see the page exists)."""
    require_facilitator(user)


def get_outreach_message_for_reader(user, pk) -> OutreachMessage:
    """A facilitator's letter, for facilitators and the people it went to; 404 for everyone else."""
    message = get_object_or_404(OutreachMessage.objects.select_related("sender", "group"), pk=pk)
    if not user.is_authenticated:
        raise Http404
    if not (user.is_facilitator or message.recipients.filter(pk=user.pk).exists()):
        raise Http404
    return message
