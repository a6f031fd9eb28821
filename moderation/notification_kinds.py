"""The notification kinds of moderation, registered in ModerationConfig.ready(): the kind's label
on the preferences page, its default delivery and its message, with the params the callers of
`notify` pass (a missing one shows as "…"; see notifications/registry.py). What moderators do to
what someone wrote ("moderation_action") is accounts' kind: discussions sends it too."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, register_kind


def register_notification_kinds() -> None:
    # params: place, reason
    register_kind(
        "content_reported",
        label=_("Reports of content in places you moderate"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("Someone reported content in %(place)s. Reason: %(reason)s")},
    )
