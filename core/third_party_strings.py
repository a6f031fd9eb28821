"""Strings of Django and django-allauth that our catalogue translates itself (issue 19).

Our locale/ comes first in LOCALE_PATHS, so a msgid here overrides theirs: Django 6.1's new blank
choice label has no Swedish yet, allauth's Swedish writes "epost-adress" (Swedish writes
e-postadress), and its sign-in page's link to sign-up says "already have an account? sign in"
(WCAG 2.4.4). Nothing imports this module: it exists for makemessages, which keeps these msgids
in the catalogue. Each must stay exactly as the library writes it (tests/test_swedish_wording.py)."""

from django.utils.translation import gettext_noop

THIRD_PARTY_STRINGS = [
    # Django (django/db/models/fields/__init__.py, BLANK_CHOICE_LABEL)
    gettext_noop("- Select an option -"),
    # django-allauth
    gettext_noop("Email address"),
    gettext_noop("Email"),
    gettext_noop("email address"),
    gettext_noop("email addresses"),
    gettext_noop("Email Address"),
    gettext_noop("Email Addresses"),
    gettext_noop("Email (again)"),
    gettext_noop("Email (optional)"),
    gettext_noop("Add Email"),
    gettext_noop("Add Email Address"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Email Confirmation"),
    gettext_noop("Email Verification"),
    gettext_noop("Change Email"),
    gettext_noop("Current email"),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("You must type the same email each time."),
    gettext_noop("Your account has no verified email address."),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Your email address is still pending verification."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Primary email address set."),
]
