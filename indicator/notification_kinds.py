"""The notification kinds of the indicator app, registered in IndicatorConfig.ready() (see
notifications/registry.py)."""

from django.utils.translation import gettext_lazy as _

from notifications.registry import Delivery, register_kind


def register_notification_kinds() -> None:
    # params: sender, subject, body (the whole letter, plain text: the e-mail shows it below)
    register_kind(
        "outreach_message",
        label=_("Messages from the facilitators at Upphandlingsmyndigheten"),
        default=Delivery.IMMEDIATELY,
        messages={"": _("%(sender)s at Upphandlingsmyndigheten: %(subject)s")},
        body_param="body",
    )
