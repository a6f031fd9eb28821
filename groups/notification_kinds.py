"""The notification kinds of groups, registered in GroupsConfig.ready(): each kind's label on the
preferences page, its default delivery and its message per variant, with the params the callers
of `notify` pass (a missing one shows as "…"; see notifications/registry.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, register_kind


def register_notification_kinds() -> None:
    # params: organisation, group
    register_kind(
        "join_request",
        label=_("Requests to join a group you coordinate"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("%(organisation)s asks to join %(group)s.")},
    )
    # params: variant ("approved" | "declined"), organisation, group, reason
    register_kind(
        "membership_decided",
        label=_("Decisions on your organisation's requests to join groups"),
        default=Delivery.IMMEDIATELY,
        messages={
            "approved": _("%(organisation)s is now a member of %(group)s."),
            "declined": _("%(group)s declined the request from %(organisation)s. Reason: %(reason)s"),
        },
    )
    # params: organisation, group
    register_kind(
        "group_invitation",
        label=_("Invitations for your organisation to join a group"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("%(organisation)s is invited to join %(group)s.")},
    )
    # params: need, group
    register_kind(
        "need_review",
        label=_("Need statements sent for review"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("The need statement %(need)s in %(group)s is ready for review.")},
    )
    # params: variant ("published" | "republished"), need, group
    register_kind(
        "need_published",
        label=_("Need statements published or republished"),
        default=Delivery.IMMEDIATELY,
        messages={
            "published": _("%(group)s published the need statement %(need)s."),
            "republished": _("%(group)s published a new version of the need statement %(need)s."),
        },
    )
