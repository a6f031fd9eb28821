"""The notification kinds of accounts, registered in AccountsConfig.ready(): each kind's label on
the preferences page, its default delivery and its message per variant, with the params the
callers of `notify` pass (a missing one shows as "…"; see notifications/registry.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, register_kind


def register_notification_kinds() -> None:
    # params: person, organisation
    register_kind(
        "organisation_join_request",
        label=_("Requests to join an organisation you administer"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("%(person)s asks to join %(organisation)s.")},
    )
    # params: person (who invites), organisation
    register_kind(
        "organisation_invitation",
        label=_("Invitations to join an organisation (the invitation itself always comes by e-mail)"),
        default=Delivery.OFF,
        messages={"": _("%(person)s invites you to join %(organisation)s.")},
    )
    # params: variant ("verified" | "rejected"), organisation, reason
    register_kind(
        "organisation_reviewed",
        label=_("Verification of your organisation"),
        default=Delivery.IMMEDIATELY,
        messages={
            "verified": _("Upphandlingsmyndigheten has verified %(organisation)s."),
            "rejected": _("Upphandlingsmyndigheten could not verify %(organisation)s. Reason: %(reason)s"),
        },
    )
    # To facilitators. params: variant ("no_people" | "no_admin"), organisation, groups (names,
    # comma-separated)
    register_kind(
        "organisation_left_behind",
        label=_("Organisations in groups left without people or administrator"),
        default=Delivery.IMMEDIATELY,
        messages={
            "no_people": _(
                "The last person of %(organisation)s deleted their account. The organisation is still a member "
                "of: %(groups)s."
            ),
            "no_admin": _(
                "The last administrator of %(organisation)s deleted their account. The organisation is still a "
                "member of: %(groups)s."
            ),
        },
    )
    # A person's standing is accounts' (accounts/standing.py). Sent by discussions (a hidden or
    # restored message) and moderation (other content, suspensions): registered here, below both.
    # params: variant ("hidden" | "restored" | "suspended" | "suspended_until" | "lifted"), place, reason,
    # until (a datetime, for "suspended_until")
    register_kind(
        "moderation_action",
        label=_("Moderation of what you wrote"),
        default=Delivery.IMMEDIATELY,
        messages={
            "hidden": _("A moderator hid what you wrote in %(place)s. Reason: %(reason)s"),
            "restored": _("A moderator restored what you wrote in %(place)s."),
            "suspended": _("A moderator suspended you from %(place)s. Reason: %(reason)s"),
            "suspended_until": _("A moderator suspended you from %(place)s until %(until)s. Reason: %(reason)s"),
            "lifted": _("Your suspension from %(place)s is lifted."),
        },
    )
