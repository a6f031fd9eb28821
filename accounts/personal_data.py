"""The person's own copy of what the platform holds about them (GDPR art. 15)."""

from django.utils import timezone

from accounts.models import Invitation, User


def export_personal_data(*, user: User) -> dict:
    """Everything the platform holds about the person, for a GDPR access request (art. 15)."""
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "name": user.name,
            "title": user.title,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "two_factor_authentication": list(user.authenticator_set.values_list("type", flat=True)),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary} for a in user.emailaddress_set.all()
        ],
        "organisations": [
            {
                "name": m.organisation.name,
                "organisation_number": m.organisation.organisation_number,
                "role": m.role,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in user.affiliations.select_related("organisation")
        ],
        "invitations_sent": [
            {
                "email": i.email,
                "organisation": i.organisation.name,
                "created_at": i.created_at.isoformat(),
                "accepted": i.accepted_at is not None,
            }
            for i in Invitation.objects.filter(invited_by=user).select_related("organisation")
        ],
        "invitations_received": [
            {"organisation": i.organisation.name, "created_at": i.created_at.isoformat()}
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("organisation")
        ],
        "organisation_join_requests": [
            {"organisation": r.organisation.name, "status": r.status, "created_at": r.created_at.isoformat()}
            for r in user.join_requests.select_related("organisation")
        ],
        "notification_settings": dict(user.notification_preferences.values_list("kind", "delivery")),
        "themes_followed": list(user.theme_follows.values_list("theme", flat=True)),
        "notifications": [
            {"kind": n.kind, "params": n.params, "created_at": n.created_at.isoformat(), "read": n.is_read}
            for n in user.notifications.all()
        ],
    }
