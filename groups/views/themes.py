"""The themes a supplier follows: a section of the notification settings page."""

from groups.forms import ThemeFollowForm
from groups.models import ThemeFollow


def theme_follow_section(*, user, data):
    """The notification settings page's section for suppliers: the themes they follow
    (registered in GroupsConfig.ready(); notifications renders and saves it with the page)."""
    if not any(affiliation.organisation.is_supplier for affiliation in user.active_affiliations):
        return None
    followed = list(ThemeFollow.objects.filter(user=user).values_list("theme", flat=True))
    return ThemeFollowForm(data, user=user, initial={"themes": followed})
