"""The notification kinds of experience reports, registered in ExperienceConfig.ready(), with
the params the callers of `notify` pass (see notifications/registry.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, register_kind


def register_notification_kinds() -> None:
    # params: group
    register_kind(
        "experience_review",
        label=_("Experience reports waiting for review"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("The experience report of %(group)s is waiting for review.")},
    )
    # params: variant ("published" | "returned"), group, comment
    register_kind(
        "experience_reviewed",
        label=_("Reviews of experience reports you wrote"),
        default=Delivery.IMMEDIATELY,
        messages={
            "published": _("The experience report of %(group)s is published."),
            "returned": _("The experience report of %(group)s was returned for changes: %(comment)s"),
        },
    )
