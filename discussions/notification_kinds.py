"""The notification kinds of discussions, registered in DiscussionsConfig.ready(): each kind's
label on the preferences page, its default delivery and its message per variant, with the params
the callers of `notify` pass (a missing one shows as "…"; see notifications/registry.py)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.registry import Delivery, register_kind


def register_notification_kinds() -> None:
    # params: person, thread; variant "supplier" (another supplier in a dialogue's open discussion,
    # known to the recipient only by its label): letter ("B" for "Supplier B") instead of person
    register_kind(
        "mention",
        label=_("Someone mentions you"),
        default=Delivery.IMMEDIATELY,
        messages={
            "": _("%(person)s mentioned you in %(thread)s."),
            "supplier": _("Supplier %(letter)s mentioned you in %(thread)s."),
        },
        # Unread mentions in one discussion are one item (collapse_key: the discussion).
        collapsed=ngettext_lazy(
            "You were mentioned %(count)d time in %(thread)s.",
            "You were mentioned %(count)d times in %(thread)s.",
            "count",
        ),
    )
    # params: person, thread; variant "supplier": letter instead of person (as for "mention")
    register_kind(
        "thread_message",
        label=_("New messages in threads you follow"),
        default=Delivery.DIGEST,
        messages={
            "": _("%(person)s wrote in %(thread)s."),
            "supplier": _("Supplier %(letter)s wrote in %(thread)s."),
        },
        # Unread messages in one discussion are one item, "5 new messages in …" (collapse_key).
        collapsed=ngettext_lazy(
            "%(count)d new message in %(thread)s.", "%(count)d new messages in %(thread)s.", "count"
        ),
    )
