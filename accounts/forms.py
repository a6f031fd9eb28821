import re

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Organisation, OrganisationDomain, OrganisationMember, User
from accounts.orgnr import is_personal_number, normalise_organisation_number
from core.content_language import ContentLanguageFormMixin

# Addresses on these domains belong to anyone; no organisation may claim them.
PUBLIC_MAIL_DOMAINS = {
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.se",
    "outlook.com",
    "outlook.se",
    "live.com",
    "live.se",
    "msn.com",
    "yahoo.com",
    "yahoo.se",
    "icloud.com",
    "me.com",
    "proton.me",
    "protonmail.com",
    "telia.com",
    "bredband.net",
    "spray.se",
    "gmx.com",
    "aol.com",
}
_DOMAIN = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class OrganisationForm(ContentLanguageFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "organisation_number",
            "size_class",
            "county",
            "subject_to_public_access",
            "content_language",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The facilitating agency is set up by the platform's operators, not by sign-up.
        self.fields["kind"].choices = [
            choice for choice in self.fields["kind"].choices if choice[0] != Organisation.Kind.FACILITATING_AGENCY
        ]
        self.fields["organisation_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_organisation_number(self):
        number = normalise_organisation_number(self.cleaned_data["organisation_number"])
        taken = Organisation.objects.filter(organisation_number=number).exclude(status=Organisation.Status.REJECTED)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _(
                    "An organisation with the number %(number)s is already registered. Ask its administrator "
                    "to invite you instead."
                ),
                params={"number": number},
                code="unique",
            )
        return number

    def clean(self):
        cleaned = super().clean()
        number, kind = cleaned.get("organisation_number"), cleaned.get("kind")
        if number and kind in Organisation.AUTHORITY_KINDS and is_personal_number(number):
            self.add_error(
                "organisation_number",
                _(
                    "A contracting authority's organisation number has 2 or more as its third digit; "
                    "this one looks like a personal identity number."
                ),
            )
        return cleaned


_PHONE = re.compile(r"^\+?[\d\s-]+$")
MAX_SHORT_NAMES = 30


class OrganisationIdentityForm(ContentLanguageFormMixin, forms.ModelForm):
    """What else the organisation is known by. Texts published to every supplier in a market
    dialogue are checked against it (dialogues/deidentify.py)."""

    class Meta:
        model = Organisation
        fields = ["short_names", "website", "phone", "county", "content_language"]
        widgets = {
            "short_names": forms.Textarea(attrs={"rows": 4}),
            "website": forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def clean_short_names(self):
        names = {}
        for line in self.cleaned_data["short_names"].splitlines():
            name = " ".join(line.split())
            if not name:
                continue
            if len(name) > 100:
                raise ValidationError(
                    _("Keep each name under 100 characters; this one is longer: %(name)s"),
                    params={"name": name[:40] + "…"},
                    code="too_long",
                )
            names.setdefault(name.casefold(), name)
        if len(names) > MAX_SHORT_NAMES:
            raise ValidationError(
                _("Give at most %(count)s names, one per line."), params={"count": MAX_SHORT_NAMES}, code="too_many"
            )
        return "\n".join(names.values())

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        if not _PHONE.match(phone) or not 6 <= len(digits) <= 15:
            raise ValidationError(
                _("Write the phone number with digits, spaces, + and - only, for example 08-123 456 78."),
                code="format",
            )
        return phone


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role"]

    def __init__(self, *args, organisation: Organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if OrganisationMember.objects.filter(organisation=self.organisation, user__email__iexact=email).exists():
            raise ValidationError(_("%(email)s already belongs to this organisation."), params={"email": email})
        if Invitation.objects.pending().filter(organisation=self.organisation, email__iexact=email).exists():
            raise ValidationError(
                _("%(email)s already has an invitation that has not expired."), params={"email": email}
            )
        return email


class DomainForm(forms.ModelForm):
    class Meta:
        model = OrganisationDomain
        fields = ["domain"]

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().lstrip("@")
        if not _DOMAIN.match(domain):
            raise ValidationError(_("Write a domain such as vaxjo.se, without @ or www."))
        if domain in PUBLIC_MAIL_DOMAINS:
            raise ValidationError(
                _("%(domain)s is a public e-mail service and cannot belong to one organisation."),
                params={"domain": domain},
            )
        if OrganisationDomain.objects.filter(domain__iexact=domain).exists():
            raise ValidationError(_("%(domain)s is already registered by an organisation."), params={"domain": domain})
        own_domains = {a.email.rsplit("@", 1)[1].lower() for a in self.user.emailaddress_set.filter(verified=True)}
        if domain not in own_domains and not self.user.is_facilitator:
            raise ValidationError(
                _(
                    "You can only register a domain where you have a verified e-mail address yourself. "
                    "Ask a facilitator to add other domains."
                ),
            )
        return domain


class OrganisationReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting; the organisation's administrators see it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the organisation is rejected."))
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "title", "language"]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted and that what I wrote stays, shown as a deleted user."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."))
        return password


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, whose refusal ("the address and/or password are not correct")
    is about both fields at once, so it is an error of the form: both fields are marked invalid
    and described by it, as a field's own error would be (WCAG 3.3.1)."""

    def error_id(self) -> str:
        return f"{self.auto_id % 'login_form'}_error" if self.auto_id else ""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self.non_field_errors() or not self.error_id():
            return
        for name in ("login", "password"):
            if name in self.fields:
                bound_field = self[name]
                described_by = " ".join(filter(None, [bound_field.aria_describedby, self.error_id()]))
                bound_field.field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": described_by})

    def get_context(self):
        context = super().get_context()
        context["errors"].field_id = self.error_id().removesuffix("_error")  # <ul id="id_login_form_error">
        return context


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, doing the same work whether or not the address has an account.
    A new account costs a password hash (by design slow: about 350 ms with the production
    hasher); an address that has one only had an e-mail sent, so the answer's time told which.
    Now both hash the password once; both send one e-mail (a link, or "you already have an
    account") and show the same page."""

    def try_save(self, request):
        if self.account_already_exists:
            User().set_password(self.cleaned_data["password1"])  # the work save_user does, thrown away
        return super().try_save(request)
