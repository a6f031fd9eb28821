"""The person's own copy of what the platform holds about them (GDPR art. 15): a ZIP with a
README in their language and one JSON file per section that the apps register (core/personal_data.py),
written while it is sent. Also the sections about the account and the organisations.

Files the person uploaded are listed by name and size, not included: they can be large, and
most are documents of an authority's procurement that the platform hands out where they were
uploaded (the README says so).
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    CalendarLink,
    CodeOfConductAcceptance,
    DomainJoinRequest,
    Invitation,
    Organisation,
    OrganisationDomain,
    OrganisationMember,
    Suspension,
    User,
)
from core.personal_data import Section, register_section, sections
from core.streaming import zip_stream

ARCHIVE_NAME = "my-data-bestallargrupper.zip"


# --- The archive ---------------------------------------------------------------------------


def _in_language(language: str, rows: Iterable[dict]) -> Iterator[str]:
    """Each row as JSON, fetched and written in the person's language (lazy labels resolve
    then). The language is switched on for one row at a time and off before the text goes out:
    under ASGI other requests' code runs in the same thread between two chunks."""
    rows = iter(rows)
    while True:
        with translation.override(language):
            row = next(rows, None)
            if row is None:
                return
            text = json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        yield text


def _json_array(section: Section, user: User) -> Iterator[str]:
    yield "["
    separator = "\n"
    for text in _in_language(user.language, section.rows(user)):
        yield separator + text
        separator = ",\n"
    yield "\n]\n"


def _readme(user: User, exported_at: datetime) -> Iterator[str]:
    with translation.override(user.language):
        text = render_to_string(
            "accounts/personal_data_readme.txt",
            {
                "user": user,
                "exported_at": exported_at,
                "sections": [(f"{section.name}.json", str(section.description)) for section in sections()],
            },
        )
    yield text


def export_personal_data(*, user: User) -> Iterator[bytes]:
    """Everything the platform holds about the person, for a GDPR access request (art. 15): the
    ZIP's bytes, produced while they are read (each section queries as its turn comes), so memory
    stays bounded however much the person wrote. For the person themselves only."""
    exported_at = timezone.now()
    members = (
        ("README.txt", _readme(user, exported_at)),
        *((f"{section.name}.json", _json_array(section, user)) for section in sections()),
    )
    return zip_stream(members, modified=timezone.localtime(exported_at))


# --- The account and its organisations -----------------------------------------------------


def _account(user: User):
    yield {
        "email": user.email,
        "name": user.name,
        "title": user.title,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_staff": user.is_staff,
        "permission_groups": list(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{p.content_type.app_label}.{p.codename}" for p in user.user_permissions.select_related("content_type")
        ),
    }


def _email_addresses(user: User):
    for address in EmailAddress.objects.filter(user=user).order_by("pk"):
        yield {"email": address.email, "verified": address.verified, "primary": address.primary}


def _two_factor_authentication(user: User):
    # The type and when it was used, never the secrets or recovery codes in `data`.
    for authenticator in Authenticator.objects.filter(user=user).order_by("pk"):
        yield {
            "type": authenticator.get_type_display(),
            "created_at": authenticator.created_at,
            "last_used_at": authenticator.last_used_at,
        }


def _organisations(user: User):
    for membership in OrganisationMember.objects.filter(user=user).select_related("organisation"):
        yield {
            "organisation": membership.organisation.name,
            "organisation_number": membership.organisation.organisation_number,
            "role": membership.get_role_display(),
            "joined_at": membership.joined_at,
        }


def _organisations_registered(user: User):
    for organisation in Organisation.objects.filter(created_by=user).order_by("created_at"):
        yield {
            "organisation": organisation.name,
            "organisation_number": organisation.organisation_number,
            "kind": organisation.get_kind_display(),
            "status": organisation.get_status_display(),
            "created_at": organisation.created_at,
        }


def _invitations(user: User):
    addresses = {user.email.lower(), *(a.lower() for a in user.emailaddress_set.values_list("email", flat=True))}
    received = Q(accepted_by=user) | Q(email__in=addresses)
    invitations = Invitation.objects.filter(Q(invited_by=user) | received).select_related("organisation")
    for invitation in invitations.order_by("created_at", "pk"):
        sent = invitation.invited_by_id == user.pk
        yield {
            "direction": "sent" if sent else "received",
            "organisation": invitation.organisation.name,
            # The address the person typed; who invited them stays out (another person).
            "email": invitation.email if sent else None,
            "role": invitation.get_role_display(),
            "created_at": invitation.created_at,
            "accepted_at": invitation.accepted_at,
            "revoked_at": invitation.revoked_at,
        }


def _organisation_domains(user: User):
    for domain in OrganisationDomain.objects.filter(added_by=user).select_related("organisation"):
        yield {"domain": domain.domain, "organisation": domain.organisation.name, "added_at": domain.added_at}


def _join_requests(user: User):
    for join_request in DomainJoinRequest.objects.filter(user=user).select_related("organisation"):
        yield {
            "organisation": join_request.organisation.name,
            "status": join_request.get_status_display(),
            "created_at": join_request.created_at,
            "decided_at": join_request.decided_at,
        }


def _suspensions(user: User):
    # Group names through the relation: accounts never imports groups.
    for suspension in Suspension.objects.filter(user=user).select_related("group"):
        yield {
            "group": suspension.group.name if suspension.group_id else None,
            "reason": suspension.reason,
            "starts_at": suspension.starts_at,
            "ends_at": suspension.ends_at,
            "lifted_at": suspension.lifted_at,
            "lift_reason": suspension.lift_reason,
        }


def _code_of_conduct(user: User):
    for acceptance in CodeOfConductAcceptance.objects.filter(user=user):
        yield {"version": acceptance.version, "accepted_at": acceptance.accepted_at}


def _calendar_link(user: User):
    for link in CalendarLink.objects.filter(user=user):
        yield {"created_at": link.created_at}  # the token itself is not kept, only its hash


def _admin_log(user: User):
    for entry in LogEntry.objects.filter(user=user).select_related("content_type").order_by("action_time", "pk"):
        yield {
            "at": entry.action_time,
            "action": {1: "addition", 2: "change", 3: "deletion"}.get(entry.action_flag, entry.action_flag),
            "object_type": entry.content_type.model if entry.content_type_id else None,
            "object": entry.object_repr,
            "change": entry.get_change_message(),
        }


def register_personal_data() -> None:
    register_section(
        "account",
        description=_("Your account: e-mail, name, title, language, when you joined and last signed in."),
        models=[User, User.groups.through, User.user_permissions.through],
        rows=_account,
    )
    register_section(
        "email_addresses", description=_("Your e-mail addresses."), models=[EmailAddress], rows=_email_addresses
    )
    register_section(
        "two_factor_authentication",
        description=_("Your two-factor methods and when they were last used (not their secrets)."),
        models=[Authenticator],
        rows=_two_factor_authentication,
    )
    register_section(
        "organisations",
        description=_("The organisations you belong to, with your role."),
        models=[OrganisationMember],
        rows=_organisations,
    )
    register_section(
        "organisations_registered",
        description=_("Organisations you registered on the platform."),
        models=[Organisation],
        rows=_organisations_registered,
    )
    register_section(
        "invitations",
        description=_("Invitations to organisations that you sent or received."),
        models=[Invitation],
        rows=_invitations,
    )
    register_section(
        "organisation_domains",
        description=_("E-mail domains you registered for an organisation."),
        models=[OrganisationDomain],
        rows=_organisation_domains,
    )
    register_section(
        "organisation_join_requests",
        description=_("Your requests to join an organisation through its e-mail domain."),
        models=[DomainJoinRequest],
        rows=_join_requests,
    )
    register_section(
        "suspensions",
        description=_("Suspensions of your account, with the reasons given."),
        models=[Suspension],
        rows=_suspensions,
    )
    register_section(
        "code_of_conduct",
        description=_("When you accepted the code of conduct."),
        models=[CodeOfConductAcceptance],
        rows=_code_of_conduct,
    )
    register_section(
        "calendar_link",
        description=_("When you made your secret calendar link (the link itself is not kept)."),
        models=[CalendarLink],
        rows=_calendar_link,
    )
    register_section(
        "admin_log",
        description=_("Changes you made in the administration pages."),
        models=[LogEntry],
        rows=_admin_log,
    )
