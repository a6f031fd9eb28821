"""The permission matrix as one table: every named URL of the site, how to fill it from the
world (tests/security/world.py), and the status each role gets for GET and for POST.

To add a page: add a Row with the URL's name. `kwargs(w, s)` fills the URL from the world `w`
and one group's side `s` (w.A, or w.B for the cross-group test); `get`/`post` map each role in
world.ROLES to the status it must get, written with `everyone(...)` / `signed_in(...)` (a
default and the roles that differ):

    Row("audit:log", get=signed_in(403, facilitator=200), post=signed_in(405)),

Statuses are ints; LOGIN is a redirect to the sign-in page. A view that does not take the
method answers 405 (NOT_ALLOWED). `data(w, s)` is the POST body (empty by default).
"""

from collections.abc import Callable
from dataclasses import dataclass

from tests.security.world import ROLES

LOGIN = "login"  # 302 to the sign-in page
ADMIN_LOGIN = "admin-login"  # 302 to Django admin's sign-in page (which sends on to LOGIN)
SET_UP_TWO_FACTOR = "set-up-two-factor"  # 302 to setting up an authenticator app
NOT_ALLOWED = 405


def everyone(status, **overrides) -> dict:
    """`status` for every role, except the ones named."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, status) for role in ROLES}


def signed_in(status, *, anonymous=LOGIN, **overrides) -> dict:
    """A private page: anonymous visitors are sent to sign in, everyone else gets `status`."""
    return everyone(status, anonymous=anonymous, **overrides)


@dataclass(frozen=True)
class Row:
    name: str
    get: dict
    post: dict
    kwargs: Callable = lambda w, s: {}
    data: Callable = lambda w, s: {}
    variant: str = ""  # when one URL is tested with two objects (a draft and a published need)
    # Whether the URL's inner objects can be swapped for group B's (see test_foreign_ids_are_refused).
    foreign: bool = True

    @property
    def label(self):
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def expected_get(label: str, role: str):
    """What the table expects for GET on a row (by its label) for a role, a redirect to sign in
    written as 302: for the per-app tests that leave such cells to this table and check that it
    still has them as they would (tests/dialogues/test_permissions.py and others)."""
    status = next(row for row in ROWS if row.label == label).get[role]
    return 302 if status == LOGIN else status


def slug(w, s):
    return {"slug": s.group.slug}


def dialogue(w, s):
    return {"pk": s.dialogue.pk}


ROWS: list[Row] = []


def guidance(w, s):
    return {"slug": "functional-requirements"}  # seeded by a migration, and by build_world after a flush


def need(w, s):
    return {"slug": s.group.slug, "pk": s.need.pk}


def draft_need(w, s):
    return {"slug": s.group.slug, "pk": s.draft_need.pk}


def authority(w, s):
    """The coordinator's own authority (group A's coordinator administers it)."""
    return {"pk": s.authority.pk}


ROWS += [
    # --- site pages, language, health
    Row("home", get=everyone(200), post=everyone(200)),
    Row("accessibility", get=everyone(200), post=everyone(200)),
    Row("language-set", get=everyone(302), post=everyone(302), data=lambda w, s: {"language": "en", "next": "/"}),
    Row("health", get=everyone(200), post=everyone(200)),
    Row("status", get=everyone(200), post=everyone(200)),
    Row("favicon", get=everyone(302), post=everyone(302)),
    # --- accounts (our views)
    Row("home:dashboard", get=signed_in(200), post=signed_in(200)),
    Row("home:agenda", get=signed_in(200), post=signed_in(NOT_ALLOWED)),
    Row("accounts:profile", get=signed_in(200), post=signed_in(200)),
    # How long the session has left (not activity), and "Stay signed in" (accounts/session_policy.py).
    Row("accounts:session-status", get=everyone(200), post=everyone(NOT_ALLOWED)),
    Row(
        "accounts:session-stay", get=signed_in(NOT_ALLOWED), post=signed_in(302), data=lambda w, s: {"next": "/groups/"}
    ),
    Row("accounts:data-export", get=signed_in(200), post=signed_in(200)),
    Row("accounts:account-delete", get=signed_in(200), post=signed_in(200)),
    Row("accounts:calendar-link-renew", get=signed_in(200), post=signed_in(302)),
    Row("accounts:calendar-link-revoke", get=signed_in(405), post=signed_in(302)),
    Row(  # the secret link is the key: no session needed, and anyone who has it reads the feed
        "home:calendar-feed",
        kwargs=lambda w, s: {"token": w.calendar_token},
        get=everyone(200),
        post=everyone(405),
        foreign=False,
    ),
    Row("accounts:organisation-create", get=signed_in(200), post=signed_in(200)),
    Row("accounts:organisation-review-list", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    Row(
        "accounts:organisation-review",
        kwargs=lambda w, s: {"pk": w.unverified_organisation.pk},
        get=signed_in(403, facilitator=200),
        post=signed_in(403, facilitator=200),
    ),
    Row(
        "accounts:organisation-detail",
        kwargs=authority,
        get=signed_in(404, coordinator=200, facilitator=200),
        post=signed_in(404, coordinator=200, facilitator=200),
    ),
    Row(
        "accounts:organisation-edit",
        kwargs=authority,
        get=signed_in(404, coordinator=200, facilitator=403),
        post=signed_in(404, coordinator=400, facilitator=403),
    ),
    Row(  # only a rejected registration is sent again: authority A is verified
        "accounts:organisation-resubmit",
        kwargs=authority,
        get=signed_in(404, coordinator=403, facilitator=403),
        post=signed_in(404, coordinator=403, facilitator=403),
    ),
    Row(
        "accounts:invitation-create",
        kwargs=authority,
        get=signed_in(405),
        post=signed_in(404, coordinator=400, facilitator=403),
    ),
    Row(
        "accounts:invitation-revoke",
        kwargs=lambda w, s: {"pk": s.authority.pk, "invitation_pk": s.invitation.pk},
        get=signed_in(405),
        post=signed_in(404, coordinator=302, facilitator=403),
    ),
    Row(
        "accounts:domain-create",
        kwargs=authority,
        get=signed_in(405),
        post=signed_in(404, coordinator=400, facilitator=403),
    ),
    Row(
        "accounts:domain-delete",
        kwargs=lambda w, s: {"pk": s.authority.pk, "domain_pk": s.domain.pk},
        get=signed_in(404, coordinator=200, facilitator=403),
        post=signed_in(404, coordinator=302, facilitator=403),
    ),
    Row("accounts:domain-join-request", kwargs=authority, get=signed_in(405), post=signed_in(404)),
    Row(
        "accounts:domain-join-decide",
        kwargs=lambda w, s: {"pk": s.authority.pk, "request_pk": s.join_request.pk},
        get=signed_in(405),
        post=signed_in(404, coordinator=302, facilitator=403),
        data=lambda w, s: {"decision": "accept"},
    ),
    Row(
        "accounts:invitation-accept",
        kwargs=lambda w, s: {"token": s.invitation.token},
        get=signed_in(200),
        post=signed_in(200),
    ),
    # --- allauth (sign-in, sign-up, password, two-factor)
    Row("account_login", get=everyone(302, anonymous=200), post=everyone(302, anonymous=200)),
    Row("account_logout", get=everyone(200, anonymous=302), post=everyone(302)),
    Row("account_inactive", get=everyone(200), post=everyone(405)),
    Row("account_signup", get=everyone(302, anonymous=200), post=everyone(302, anonymous=200)),
    Row("account_reauthenticate", get=signed_in(200), post=signed_in(200)),
    Row("account_email", get=signed_in(200), post=signed_in(302)),
    Row("account_email_verification_sent", get=everyone(200), post=everyone(405)),
    Row("account_change_password", get=signed_in(200), post=signed_in(200)),
    Row("account_set_password", get=signed_in(302), post=signed_in(302)),
    Row("account_reset_password", get=everyone(200), post=everyone(200)),
    Row("account_confirm_login_code", get=signed_in(302), post=signed_in(302)),
    Row("account_confirm_email", kwargs=lambda w, s: {"key": "not-a-key"}, get=everyone(200), post=everyone(404)),
    Row("account_reset_password_from_key_done", get=everyone(200), post=everyone(405)),
    Row(
        "account_reset_password_from_key",
        kwargs=lambda w, s: {"uidb36": "1", "key": "set-password"},
        get=everyone(200),
        post=everyone(200),
    ),
    Row("account_reset_password_done", get=everyone(200), post=everyone(405)),
    Row("mfa_index", get=signed_in(200), post=signed_in(405)),
    Row("mfa_authenticate", get=signed_in(302), post=signed_in(302)),
    Row("mfa_reauthenticate", get=signed_in(302, facilitator=200), post=signed_in(302, facilitator=200)),
    Row("mfa_activate_totp", get=signed_in(302), post=signed_in(302)),
    Row("mfa_deactivate_totp", get=signed_in(404, facilitator=302), post=signed_in(404, facilitator=302)),
    Row("mfa_view_recovery_codes", get=signed_in(404), post=signed_in(405)),
    Row("mfa_generate_recovery_codes", get=signed_in(302), post=signed_in(302)),
    Row("mfa_download_recovery_codes", get=signed_in(404), post=signed_in(404)),
    # --- buyer groups
    Row("groups:group-list", get=everyone(200), post=everyone(200)),
    Row(
        "groups:group-create",
        get=signed_in(200, unverified=403, supplier=403, other_supplier=403),
        post=signed_in(200, unverified=403, supplier=403, other_supplier=403),
    ),
    Row("groups:group-detail", kwargs=slug, get=everyone(200), post=everyone(200)),
    Row(
        "groups:group-edit",
        kwargs=slug,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "groups:group-contacts",
        kwargs=slug,
        get=signed_in(404, member=403, coordinator=403, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=403, observer=403, facilitator=302),
    ),
    Row("groups:membership-request", kwargs=slug, get=signed_in(405), post=signed_in(403, facilitator=400)),
    Row(
        "groups:member-list",
        kwargs=slug,
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row(
        "groups:membership-invite",
        kwargs=slug,
        get=signed_in(405),
        post=signed_in(404, member=403, coordinator=302, observer=403, facilitator=302),
    ),
    Row(
        "groups:membership-decide",
        kwargs=lambda w, s: {"slug": s.group.slug, "membership_pk": s.pending_membership.pk},
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "groups:membership-answer",
        kwargs=lambda w, s: {"slug": s.group.slug, "membership_pk": s.invited_membership.pk},
        get=signed_in(405),
        post=signed_in(404),
    ),
    Row(
        "groups:membership-end",
        kwargs=lambda w, s: {"slug": s.group.slug, "membership_pk": s.member_membership.pk},
        get=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "groups:coordinator-appoint",
        kwargs=slug,
        get=signed_in(405),
        post=signed_in(404, member=403, coordinator=302, observer=403, facilitator=302),
        data=lambda w, s: {"user": s.member_user.pk},
    ),
    Row(
        "groups:coordinator-remove",
        kwargs=lambda w, s: {"slug": s.group.slug, "coordinator_pk": s.coordinator_row.pk},
        get=signed_in(405),
        post=signed_in(404, member=403, coordinator=302, observer=403, facilitator=302),
    ),
    Row(
        "groups:group-end",
        kwargs=slug,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    # The world's groups are ongoing: there is no ending for a facilitator to undo (tests/groups
    # reopen an ended one).
    Row(
        "groups:group-reopen",
        kwargs=slug,
        get=signed_in(404, member=403, coordinator=403, observer=403),
        post=signed_in(404, member=403, coordinator=403, observer=403),
    ),
    Row(
        "groups:group-history",
        kwargs=slug,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "groups:stage-plan",
        kwargs=slug,
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "groups:procedure-edit",
        kwargs=slug,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "groups:document-list",
        kwargs=slug,
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=400, coordinator=400, observer=403, facilitator=400),
    ),
    Row(
        "groups:document-detail",
        kwargs=lambda w, s: {"slug": s.group.slug, "document_pk": s.document.pk},
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=400, coordinator=400, observer=403, facilitator=400),
    ),
    Row(
        "groups:document-download",
        kwargs=lambda w, s: {"slug": s.group.slug, "document_pk": s.document.pk, "version_pk": s.document_version.pk},
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row(
        "groups:need-create",
        kwargs=slug,
        get=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
    ),
    Row("groups:need-detail", variant="published", kwargs=need, get=everyone(200), post=everyone(200)),
    Row(
        "groups:need-detail",
        variant="draft",
        kwargs=draft_need,
        get=everyone(404, anonymous=404, member=200, coordinator=200, observer=200, facilitator=200),
        post=everyone(404, anonymous=404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row(
        "groups:need-edit",
        kwargs=need,
        get=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=400, coordinator=400, observer=403, facilitator=400),
    ),
    Row(
        "groups:need-move",
        kwargs=draft_need,
        get=signed_in(404),  # a confirmation page needs ?state=; without it there is nothing to show
        post=signed_in(404, member=302, coordinator=302, observer=403, facilitator=302),
        data=lambda w, s: {"state": "in_review"},
    ),
    Row(
        "groups:need-history",
        kwargs=need,
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row(
        "groups:need-comment",
        kwargs=need,
        get=signed_in(405),
        post=signed_in(404, member=302, coordinator=302, observer=302, facilitator=302),
        data=lambda w, s: {"body": "En kommentar"},
    ),
    Row(
        "groups:endorsement-edit",
        kwargs=lambda w, s: {"slug": s.group.slug, "pk": s.need.pk, "organisation_pk": s.member_organisation.pk},
        get=signed_in(404, member=200, coordinator=403, observer=403, facilitator=403),
        post=signed_in(404, member=400, coordinator=403, observer=403, facilitator=403),
    ),
    # --- market dialogues
    Row("dialogues:dialogue-list", get=everyone(200), post=everyone(200)),
    Row(
        "dialogues:group-dialogues",
        kwargs=slug,
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row(
        "dialogues:dialogue-create",
        kwargs=slug,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=400, observer=403, facilitator=400),
    ),
    Row("dialogues:dialogue-detail", kwargs=dialogue, get=everyone(200), post=everyone(200)),
    Row(
        "dialogues:dialogue-edit",
        kwargs=dialogue,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=400, observer=403, facilitator=400),
    ),
    Row(
        "dialogues:dialogue-state",
        kwargs=dialogue,
        # GET shows the confirmation (without ?action= it sends the manager back to the dialogue)
        get=signed_in(404, member=403, coordinator=302, observer=403, facilitator=302),
        post=signed_in(404, member=403, coordinator=302, observer=403, facilitator=302),
    ),
    Row(
        "dialogues:participation-register",
        kwargs=dialogue,
        get=signed_in(405),
        post=signed_in(403, supplier=302, other_supplier=302),
    ),
    Row(
        "dialogues:participation-withdraw",
        kwargs=dialogue,
        get=signed_in(405),
        post=signed_in(404, supplier=302),
        data=lambda w, s: {"participation": s.participation.pk},
    ),
    Row(
        "dialogues:participant-list",
        kwargs=dialogue,
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row(
        "dialogues:question-list",
        kwargs=dialogue,
        get=signed_in(200, unverified=403, outsider=403),
        post=signed_in(403, supplier=400, other_supplier=400),
    ),
    Row(
        "dialogues:question-detail",
        variant="unanswered",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "question_pk": s.question.pk},
        get=signed_in(404, member=200, coordinator=200, supplier=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, supplier=200, facilitator=200),
    ),
    Row(
        "dialogues:question-detail",
        variant="answered",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "question_pk": s.answered_question.pk},
        get=signed_in(200, unverified=404, outsider=404, observer=302, other_supplier=302),
        post=signed_in(200, unverified=404, outsider=404, observer=302, other_supplier=302),
    ),
    Row(
        "dialogues:answer-create",
        kwargs=dialogue,
        get=signed_in(403, member=200, coordinator=200, facilitator=200),
        post=signed_in(403, member=400, coordinator=400, facilitator=400),
    ),
    Row(
        "dialogues:answer-detail",
        variant="published",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "answer_pk": s.answer.pk},
        get=signed_in(200, unverified=403, outsider=403),
        post=signed_in(200, unverified=403, outsider=403),
    ),
    Row(
        "dialogues:answer-detail",
        variant="draft",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "answer_pk": s.draft_answer.pk},
        get=signed_in(404, member=200, coordinator=200, facilitator=200),
        post=signed_in(404, member=400, coordinator=400, facilitator=400),
    ),
    Row(
        "dialogues:answer-publish",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "answer_pk": s.draft_answer.pk},
        get=signed_in(404, member=403, coordinator=200, facilitator=200),
        post=signed_in(404, member=403, coordinator=302, facilitator=302),
    ),
    Row(
        "dialogues:answer-amend",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "answer_pk": s.answer.pk},
        get=signed_in(405),
        post=signed_in(403, member=302, coordinator=302, facilitator=302),
    ),
    Row(
        "dialogues:answer-delete",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "answer_pk": s.draft_answer.pk},
        get=signed_in(405),
        post=signed_in(404, member=302, coordinator=302, facilitator=302),
    ),
    Row(
        "dialogues:answer-withdraw",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "answer_pk": s.answer.pk},
        get=signed_in(403, coordinator=200, facilitator=200),
        post=signed_in(403, coordinator=400, facilitator=400),
    ),
    Row(
        "dialogues:submission-list",
        kwargs=dialogue,
        get=signed_in(403, member=200, coordinator=200, supplier=200, other_supplier=200),
        post=signed_in(403, member=200, coordinator=200, supplier=400, other_supplier=400),
    ),
    Row(
        "dialogues:submission-log",
        kwargs=dialogue,
        get=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "dialogues:submission-detail",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "submission_pk": s.submission.pk},
        get=signed_in(404, member=200, coordinator=200, supplier=200),
        post=signed_in(404, member=200, coordinator=200, supplier=200),
    ),
    Row(
        "dialogues:attachment-download",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "submission_pk": s.submission.pk, "attachment_pk": s.attachment.pk},
        get=signed_in(404, member=200, coordinator=200, supplier=200),
        post=signed_in(404, member=200, coordinator=200, supplier=200),
    ),
    Row(
        "dialogues:meeting-list",
        kwargs=dialogue,
        get=signed_in(200, unverified=403, outsider=403),
        post=signed_in(403, coordinator=400, facilitator=400),
    ),
    Row(
        "dialogues:meeting-book",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "slot_pk": s.free_slot.pk},
        get=signed_in(405),
        post=signed_in(403, supplier=302, other_supplier=302),
    ),
    Row(
        "dialogues:meeting-cancel",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "slot_pk": s.booked_slot.pk},
        get=signed_in(405),
        post=signed_in(403, coordinator=302, supplier=302, facilitator=302),
    ),
    Row(
        "dialogues:meeting-remove",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "slot_pk": s.free_slot.pk},
        get=signed_in(405),
        post=signed_in(403, coordinator=302, facilitator=302),
    ),
    Row(
        "dialogues:meeting-minutes",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "slot_pk": s.booked_slot.pk},
        get=signed_in(200, unverified=403, outsider=403, observer=404, other_supplier=404),
        post=signed_in(403, member=400, coordinator=400, observer=404, other_supplier=404),
    ),
    Row(
        "dialogues:meeting-calendar",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "slot_pk": s.booked_slot.pk},
        get=signed_in(200, unverified=403, outsider=403, other_supplier=404),
        post=signed_in(405),
    ),
    Row(
        "dialogues:declaration-list",
        kwargs=dialogue,
        get=signed_in(404, member=200, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=400, coordinator=400, observer=403, facilitator=403),
    ),
    Row(
        "dialogues:conflict-clear",
        kwargs=lambda w, s: {"pk": s.dialogue.pk, "person_pk": s.member_user.pk},
        # the member declared no conflict: managers are sent back to the list, nothing to clear
        get=signed_in(404, member=403, coordinator=302, observer=403, facilitator=302),
        post=signed_in(404, member=403, coordinator=302, observer=403, facilitator=302),
    ),
    Row(
        "dialogues:record",
        kwargs=dialogue,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "dialogues:record-download",
        kwargs=dialogue,
        get=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
        post=signed_in(404, member=403, coordinator=200, observer=403, facilitator=200),
    ),
    Row(
        "dialogues:public-record",
        kwargs=dialogue,
        get=everyone(404, anonymous=404, coordinator=200, facilitator=200),
        post=everyone(403, anonymous=403, coordinator=302, facilitator=302),
    ),
    # --- discussion threads
    Row(
        "threads:thread-detail",
        variant="group",
        kwargs=lambda w, s: {"pk": s.group_thread.pk},
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row(
        "threads:thread-detail",
        variant="open",
        kwargs=lambda w, s: {"pk": s.open_thread.pk},
        get=signed_in(200, unverified=404, outsider=404),
        post=signed_in(200, unverified=404, outsider=404),
    ),
    Row(
        "threads:thread-detail",
        variant="private",
        kwargs=lambda w, s: {"pk": s.private_thread.pk},
        get=signed_in(404, member=200, coordinator=200, supplier=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, supplier=200, facilitator=200),
    ),
    Row(
        "threads:message-create",
        variant="group",
        kwargs=lambda w, s: {"pk": s.group_thread.pk},
        data=lambda w, s: {"body": "Hej"},
        get=signed_in(405),
        post=signed_in(404, member=302, coordinator=302, observer=302, facilitator=302),
    ),
    Row(
        "threads:message-create",
        variant="open",
        kwargs=lambda w, s: {"pk": s.open_thread.pk},
        data=lambda w, s: {"body": "Hej"},
        get=signed_in(405),
        post=signed_in(302, unverified=404, outsider=404),
    ),
    Row(
        "threads:message-create",
        variant="private",
        kwargs=lambda w, s: {"pk": s.private_thread.pk},
        data=lambda w, s: {"body": "Hej"},
        get=signed_in(405),
        post=signed_in(404, member=302, coordinator=302, supplier=302, facilitator=302),
    ),
    Row(
        "threads:thread-lock",
        kwargs=lambda w, s: {"pk": s.open_thread.pk},
        get=signed_in(403, unverified=404, outsider=404, coordinator=200, facilitator=200),
        post=signed_in(403, unverified=404, outsider=404, coordinator=400, facilitator=400),
    ),
    Row(  # without `q` a reader gets 400 (tests/discussions/test_mention_search.py has the answers)
        "threads:mention-search",
        kwargs=lambda w, s: {"pk": s.private_thread.pk},
        get=signed_in(404, member=400, coordinator=400, supplier=400, facilitator=400),
        post=signed_in(405),
    ),
    Row(
        "threads:message-edit",
        kwargs=lambda w, s: {"pk": s.private_message.pk},
        get=signed_in(404, member=403, coordinator=403, supplier=200, facilitator=403),
        post=signed_in(404, member=403, coordinator=403, supplier=400, facilitator=403),
    ),
    Row(
        "threads:message-history",
        kwargs=lambda w, s: {"pk": s.private_message.pk},
        get=signed_in(404, member=200, coordinator=200, supplier=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, supplier=200, facilitator=200),
    ),
    Row(
        "message-moderate",
        kwargs=lambda w, s: {"pk": s.open_message.pk},
        get=signed_in(403, unverified=404, outsider=404, coordinator=200, facilitator=200),
        post=signed_in(403, unverified=404, outsider=404, coordinator=400, facilitator=400),
    ),
    Row(
        "threads:dialogue-thread",
        kwargs=lambda w, s: {"dialogue_pk": s.dialogue.pk},
        get=signed_in(302, unverified=404, outsider=404),
        post=signed_in(302, unverified=404, outsider=404),
    ),
    Row(
        "threads:private-thread",
        kwargs=lambda w, s: {"dialogue_pk": s.dialogue.pk, "organisation_pk": s.supplier_organisation.pk},
        get=signed_in(404, member=302, coordinator=302, supplier=302, facilitator=302),
        post=signed_in(404, member=302, coordinator=302, supplier=302, facilitator=302),
    ),
    Row(
        "threads:group-threads",
        kwargs=slug,
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=400, coordinator=400, observer=400, facilitator=400),
    ),
    # --- notifications
    Row("notifications:notification-list", get=signed_in(200), post=signed_in(200)),
    Row("notifications:notification-read-all", get=signed_in(405), post=signed_in(302)),
    Row("notifications:preferences", get=signed_in(200), post=signed_in(200)),
    Row(
        "notifications:unsubscribe",
        kwargs=lambda w, s: {"token": w.unsubscribe_token},
        get=everyone(200),
        post=everyone(200),
    ),
    Row(
        "notifications:notification-open",
        kwargs=lambda w, s: {"pk": w.notification.pk},
        get=signed_in(404, member=302),
        post=signed_in(404, member=302),
    ),
    Row(
        "notifications:notification-read",
        kwargs=lambda w, s: {"pk": w.notification.pk},
        get=signed_in(405),
        post=signed_in(404, member=302),
    ),
    # --- guidance texts: public to read, facilitators edit
    Row("guidance:list", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("guidance:detail", kwargs=guidance, get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row(
        "guidance:edit",
        kwargs=guidance,
        get=signed_in(403, facilitator=200),
        post=signed_in(403, facilitator=200),
        foreign=False,
    ),
    # --- innovation maturity indicator
    Row("indicator:dashboard", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    Row("indicator:averages-export", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    Row("indicator:responses", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    # the yearly averages as open data, for anyone (indicator/statistics.py)
    Row("indicator:statistics", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("indicator:outreach-list", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    Row("indicator:outreach-new", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=400)),
    Row(  # a facilitator's letter to group A: facilitators and the people it went to read it
        "indicator:outreach-detail",
        kwargs=lambda w, s: {"pk": w.outreach_letter.pk},
        get=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
        post=signed_in(404, member=200, coordinator=200, observer=200, facilitator=200),
    ),
    Row("indicator:assessments-export", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    # the programme view and the annual report, with CSV and JSON for every table (indicator/programme_views.py)
    Row("indicator:programme", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    Row(
        "indicator:report",
        kwargs=lambda w, s: {"year": w.year},
        get=signed_in(403, facilitator=200),
        post=signed_in(403, facilitator=200),
        foreign=False,
    ),
    Row(
        "indicator:report-json",
        kwargs=lambda w, s: {"year": w.year},
        get=signed_in(403, facilitator=200),
        post=signed_in(403, facilitator=200),
        foreign=False,
    ),
    Row(
        "indicator:report-table-csv",
        kwargs=lambda w, s: {"year": w.year, "table": "suppliers-by-size"},
        get=signed_in(403, facilitator=200),
        post=signed_in(403, facilitator=200),
        foreign=False,
    ),
    Row(
        "indicator:report-table-json",
        kwargs=lambda w, s: {"year": w.year, "table": "indicator-by-statement"},
        get=signed_in(403, facilitator=200),
        post=signed_in(403, facilitator=200),
        foreign=False,
    ),
    Row(
        "indicator:organisation-detail",
        kwargs=authority,
        get=signed_in(404, coordinator=200, facilitator=200),
        post=signed_in(404, coordinator=200, facilitator=200),
    ),
    Row(
        "indicator:assessment-edit",
        kwargs=lambda w, s: {"pk": s.authority.pk, "year": w.year},
        get=signed_in(404, coordinator=200, facilitator=403),
        post=signed_in(404, coordinator=400, facilitator=403),
    ),
    Row(
        "indicator:delegation-create",
        kwargs=authority,
        get=signed_in(405),
        post=signed_in(404, coordinator=400, facilitator=403),
    ),
    Row(
        "indicator:delegation-delete",
        kwargs=lambda w, s: {"pk": s.authority.pk, "delegation_pk": s.delegation.pk},
        get=signed_in(405),
        post=signed_in(404, coordinator=302, facilitator=403),
    ),
    # --- experience reports (group A has not ended, so it has no report and none can be written)
    Row("experience:report-list", get=everyone(200), post=everyone(405)),
    Row("experience:review-list", get=signed_in(403, facilitator=200), post=signed_in(405)),
    Row("experience:report-detail", kwargs=slug, get=everyone(404), post=everyone(405)),
    *(
        Row(
            name,
            kwargs=slug,
            get=signed_in(404, member=403, coordinator=403, facilitator=403)
            if name != "experience:report-figures"
            else signed_in(405),
            post=signed_in(404, member=403, coordinator=403, facilitator=403),
        )
        for name in ("experience:report-edit", "experience:report-figures", "experience:report-submit")
    ),
    Row(
        "experience:report-review",
        kwargs=slug,
        get=signed_in(403, facilitator=404),
        post=signed_in(403, facilitator=404),
    ),
]


def message(w, s):
    return {"kind": "message", "pk": s.open_message.pk}


MODERATORS = {"coordinator": 200, "facilitator": 200}

ROWS += [
    # --- moderation: group A's coordinator and the facilitators moderate; others do not see it
    Row("moderation:report-queue", get=signed_in(403, **MODERATORS), post=signed_in(403, **MODERATORS)),
    Row(
        "moderation:report-detail",
        kwargs=lambda w, s: {"pk": s.report.pk},
        get=signed_in(404, **MODERATORS),
        post=signed_in(404, **MODERATORS),
    ),
    Row(
        "moderation:report-dismiss",
        kwargs=lambda w, s: {"pk": s.report.pk},
        get=signed_in(NOT_ALLOWED),
        post=signed_in(404, coordinator=302, facilitator=302),
        data=lambda w, s: {"note": "Inget att göra"},
    ),
    # The open dialogue discussion: its readers may report a message, nobody else sees it.
    Row(
        "moderation:report-create",
        kwargs=message,
        get=signed_in(200, outsider=404, unverified=404),
        post=signed_in(302, outsider=404, unverified=404),
        data=lambda w, s: {"reason": "Olämpligt"},
        foreign=False,  # no group in the URL: the object itself decides (tests/moderation)
    ),
    # Hiding asks for confirmation first (200); restoring a message that is not removed is a 400.
    Row(
        "moderation:content-hide",
        kwargs=message,
        get=signed_in(404, **MODERATORS),
        post=signed_in(404, **MODERATORS),
        data=lambda w, s: {"reason": "Olämpligt"},
        foreign=False,  # no group in the URL: the object itself decides (tests/moderation)
    ),
    Row(
        "moderation:content-restore",
        kwargs=message,
        get=signed_in(404, **MODERATORS),
        post=signed_in(404, coordinator=400, facilitator=400),
        foreign=False,  # no group in the URL: the object itself decides (tests/moderation)
    ),
    Row(
        "moderation:user-suspend",
        kwargs=lambda w, s: {"user_pk": s.suspension.user_id},
        get=signed_in(403, **MODERATORS),
        post=signed_in(403, coordinator=400, facilitator=400),
        data=lambda w, s: {"reason": "Spam", "group": s.group.pk, "length": "7"},
        foreign=False,
    ),
    Row("moderation:suspension-list", get=signed_in(403, **MODERATORS), post=signed_in(403, **MODERATORS)),
    Row(
        "moderation:suspension-lift",
        kwargs=lambda w, s: {"pk": s.suspension.pk},
        get=signed_in(NOT_ALLOWED),
        post=signed_in(404, coordinator=302, facilitator=302),
    ),
    # Anyone may read the code of conduct; accepting it needs the box ticked (400 without).
    Row("moderation:code-of-conduct", get=everyone(200), post=everyone(400, anonymous=200)),
    # --- the facilitators' console and audit log
    Row("facilitator-console", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    Row("audit:entry-list", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    Row("audit:entry-export", get=signed_in(403, facilitator=200), post=signed_in(403, facilitator=200)),
    # --- search: open to everyone, results filtered per reader (tests/search)
    Row("search:search", get=everyone(200), post=everyone(NOT_ALLOWED)),
    # --- open data: the Atom feeds are the same for everyone, read and never posted to (tests/api/test_feeds.py)
    Row("feeds:dialogues", get=everyone(200), post=everyone(NOT_ALLOWED)),
    Row(
        "feeds:dialogues-theme",
        kwargs=lambda w, s: {"theme": "transport"},
        get=everyone(200),
        post=everyone(NOT_ALLOWED),
        foreign=False,
    ),
    Row("feeds:needs", get=everyone(200), post=everyone(NOT_ALLOWED)),
    Row(
        "feeds:needs-theme",
        kwargs=lambda w, s: {"theme": "transport"},
        get=everyone(200),
        post=everyone(NOT_ALLOWED),
        foreign=False,
    ),
]


# --- Django admin. Its pages send everyone who is not staff to the admin's sign-in page, and
# --- open data: the public API, read-only and the same for everyone (tests/api/)
def group_pk(w, s):
    return {"pk": s.group.pk}


def need_pk(w, s):
    return {"pk": s.need.pk}


def draft_need_pk(w, s):
    return {"pk": s.draft_need.pk}


ROWS += [
    Row("api:root", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:docs", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:schema", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:themes", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:indicator", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:group-list", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:group-detail", kwargs=group_pk, get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:need-list", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:need-detail", kwargs=need_pk, get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row(  # a need never published is no one's open data, a member's neither
        "api:need-detail",
        kwargs=draft_need_pk,
        get=everyone(404),
        post=everyone(NOT_ALLOWED),
        variant="draft",
        foreign=False,
    ),
    Row("api:dialogue-list", get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
    Row("api:dialogue-detail", kwargs=dialogue, get=everyone(200), post=everyone(NOT_ALLOWED), foreign=False),
]

# that page sends on to the site's own sign-in (allauth: rate limits, two-factor); it never
# shows a password form, and refuses a signed-in person who is not staff. Nobody in ROLES is
# staff; STAFF_ADMIN below says what staff get. The admin's other pages:
# test_django_admin_is_for_staff_only.
ADMIN_USERS = "admin:accounts_user_changelist"
ROWS += [
    Row("admin:index", get=everyone(ADMIN_LOGIN), post=everyone(ADMIN_LOGIN), foreign=False),
    Row("admin:login", get=signed_in(403), post=signed_in(403), foreign=False),
    # (Django's LoginRequiredMiddleware sends an anonymous visitor of a model's page straight on.)
    Row(ADMIN_USERS, get=signed_in(ADMIN_LOGIN), post=signed_in(ADMIN_LOGIN), foreign=False),
]

# A staff facilitator (a superuser) by how the session was made → GET of the admin's rows: with
# both sign-in steps it is in (the sign-in page sends it to the index); a session that never
# entered the authenticator code is signed out; without an app, it must set one up first.
STAFF_ADMIN = {
    "both steps": {"admin:index": 200, "admin:login": 302, ADMIN_USERS: 200},
    "password only": {"admin:index": LOGIN, "admin:login": LOGIN, ADMIN_USERS: LOGIN},
    "no authenticator app": dict.fromkeys(("admin:index", "admin:login", ADMIN_USERS), SET_UP_TWO_FACTOR),
}
