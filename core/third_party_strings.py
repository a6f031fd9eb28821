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
    # django-allauth: every other string its Swedish writes with "epost", e-mails included
    # (tests/test_swedish_wording.py reads allauth's catalogue to find them)
    gettext_noop('<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'),
    gettext_noop(
        "An account already exists with this email address. Please sign in to that account first, then connect your %s account."
    ),
    gettext_noop("Email Changed"),
    gettext_noop("Email Removed"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Email address confirmation"),
    gettext_noop("Email or phone"),
    gettext_noop("Enter Email Verification Code"),
    gettext_noop("Mark selected email addresses as verified"),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    gettext_noop(
        "This part of the site requires us to verify that\nyou are who you claim to be. For this purpose, we require that you\nverify ownership of your email address. "
    ),
    gettext_noop("Use a different email address"),
    gettext_noop("Username or email"),
    gettext_noop("Username, email or phone"),
    gettext_noop("View your email address"),
    gettext_noop(
        "You are receiving this email because you or someone else tried to signup for an\naccount using email address:\n\n%(email)s\n\nHowever, an account using that email address already exists.  In case you have\nforgotten about this, please use the password forgotten procedure to recover\nyour account:\n\n%(password_reset_url)s"
    ),
    gettext_noop(
        "You are receiving this email because you, or someone else, tried to access an account with email %(email)s. However, we do not have any record of such an account in our database."
    ),
    gettext_noop("You cannot activate two-factor authentication until you have verified your email address."),
    gettext_noop("You cannot add an email address to an account protected by two-factor authentication."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email address so you can receive notifications, reset your password, etc."
    ),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email address to register an account on %(site_domain)s."
    ),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop("Your email verification code is listed below. Please enter it in your open browser window."),
    gettext_noop("email confirmation"),
    gettext_noop("email confirmations"),
]
