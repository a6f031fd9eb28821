from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # New people start in the language they signed up in.
        user.language = translation.get_language() or "sv"
        if user.language not in ("sv", "en"):
            user.language = "sv"
        return super().save_user(request, user, form, commit=commit)
