"""Theme follows: the buyer-group themes a supplier's person hears about."""

from django.db import transaction

from accounts.models import Organisation, User
from groups.models import ThemeFollow


@transaction.atomic
def follow_themes(*, user, themes) -> None:
    """The themes the person follows are exactly these (a supplier hears when a dialogue opens
    in one of them)."""
    ThemeFollow.objects.filter(user=user).delete()
    ThemeFollow.objects.bulk_create(ThemeFollow(user=user, theme=theme) for theme in sorted(set(themes)))


def followers_of_theme(theme: str):
    """People of verified supplier organisations who follow a buyer-group theme."""
    return User.objects.filter(
        theme_follows__theme=theme,
        affiliations__organisation__kind=Organisation.Kind.SUPPLIER,
        affiliations__organisation__status=Organisation.Status.VERIFIED,
        is_active=True,
        deleted_at__isnull=True,
    ).distinct()
