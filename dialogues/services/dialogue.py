"""The dialogue itself: drafting, changing, opening and closing it, a republished need recorded
in its open dialogues, and suppliers taking part and withdrawing."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import users_of_organisations
from accounts.standing import suspension_refusal
from audit.models import Action
from audit.services import record as record_audit
from core.sockets import revoke_socket_access
from dialogues.models import Answer, Dialogue, DialogueNeedVersion, MeetingSlot, Participation
from dialogues.services.amendments import NEED_VERSION_FIELD, _publish_notice, amend_dialogue
from dialogues.services.shared import DialogueRuleError, _touch, anyone_of
from groups.models import NeedStatement
from groups.services.themes import followers_of_theme
from notifications.services import notify


@transaction.atomic
def create_dialogue(*, group, need, user, **fields) -> Dialogue:
    """A coordinator drafts a dialogue on one of the group's published needs, while the group
    has not ended."""
    if group.is_ended:
        raise DialogueRuleError(
            _("The group has ended: it opens no new market dialogues. A facilitator can reopen it.")
        )
    if need.group_id != group.pk or not need.is_public or need.state != NeedStatement.State.PUBLISHED:
        raise DialogueRuleError(_("A dialogue is opened on a published need statement of the group."))
    dialogue = Dialogue.objects.create(group=group, need=need, created_by=user, **fields)
    _touch(group.pk)
    return dialogue


@transaction.atomic
def update_dialogue(*, dialogue, user, reason="", approve_short_notice=False, override_reason="", **fields) -> Dialogue:
    """A draft changes freely; an open dialogue only through amend_dialogue (a numbered
    amendment to every participant); a closed one not at all."""
    if dialogue.state == Dialogue.State.CLOSED:
        raise DialogueRuleError(_("The dialogue is closed and can no longer be changed."))
    if dialogue.state == Dialogue.State.OPEN:
        amend_dialogue(
            dialogue=dialogue,
            user=user,
            reason=reason,
            approve_short_notice=approve_short_notice,
            override_reason=override_reason,
            **fields,
        )
        dialogue.refresh_from_db()
        return dialogue
    for name, value in fields.items():
        setattr(dialogue, name, value)
    dialogue.save()
    _touch(dialogue.group_id)
    return dialogue


def set_dialogue_language(*, dialogue, language) -> None:
    """The language the dialogue's texts are written in. It is not a term of the dialogue, so
    it changes in an open dialogue too, without an amendment."""
    dialogue.content_language = language
    dialogue.save(update_fields=["content_language"])


@transaction.atomic
def open_dialogue(*, dialogue, user) -> Dialogue:
    """Draft → open: the need version it opens with is recorded, and it is listed for every
    verified supplier."""
    dialogue = Dialogue.objects.select_for_update().select_related("need").get(pk=dialogue.pk)
    if dialogue.state != Dialogue.State.DRAFT:
        raise DialogueRuleError(_("Only a draft dialogue can be opened."))
    if dialogue.group.is_ended:
        raise DialogueRuleError(
            _("The group has ended: it opens no new market dialogues. A facilitator can reopen it.")
        )
    need = dialogue.need
    if need.state != NeedStatement.State.PUBLISHED or need.published_version_id is None:
        raise DialogueRuleError(_("The need statement must be published before the dialogue opens."))
    now = timezone.now()
    if dialogue.question_deadline <= now:
        raise DialogueRuleError(_("The last day for questions has already passed. Move it forward before opening."))
    dialogue.state = Dialogue.State.OPEN
    dialogue.opened_at = now
    dialogue.save(update_fields=["state", "opened_at"])
    DialogueNeedVersion.objects.get_or_create(
        dialogue=dialogue, version_id=need.published_version_id, defaults={"published_at": now}
    )
    group = dialogue.group
    record_audit(actor=user, action=Action.DIALOGUE_STATE, target=dialogue, group=group, detail="draft → open")
    _touch(group.pk)
    notify(
        kind="dialogue_opened",
        recipients=dialogue_opening_recipients(dialogue),
        params={"group": group.name, "dialogue": dialogue.title},
        place=dialogue,
        target=dialogue,
        actor=user,
    )
    return dialogue


def dialogue_opening_recipients(dialogue):
    """Who is told when the dialogue opens: the suppliers' people who follow the group's theme,
    and the users of the group's member and observer organisations (active, not deleted)."""
    group = dialogue.group
    return anyone_of(
        followers_of_theme(group.theme),
        users_of_organisations(group.memberships.active().values("organisation_id")),
    ).filter(is_active=True, deleted_at__isnull=True)


@transaction.atomic
def close_dialogue(*, dialogue, user) -> Dialogue:
    """Open → closed (the start line): no new supplier questions, proposals or bookings."""
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.state != Dialogue.State.OPEN:
        raise DialogueRuleError(_("Only an open dialogue can be closed."))
    dialogue.state = Dialogue.State.CLOSED
    dialogue.closed_at = timezone.now()
    dialogue.save(update_fields=["state", "closed_at"])
    record_audit(
        actor=user, action=Action.DIALOGUE_STATE, target=dialogue, group=dialogue.group, detail="open → closed"
    )
    _touch(dialogue.group_id)
    return dialogue


def record_need_publication(*, need, user=None) -> list[DialogueNeedVersion]:
    """Called when a need is published again: every open dialogue on it records the new
    version, so its participants see what changed, and publishes it as a numbered amendment
    (the version it referred to → the new one) to every participant at once."""
    if need.published_version_id is None:
        return []
    recorded = []
    for dialogue in need.dialogues.filter(state=Dialogue.State.OPEN):
        with transaction.atomic():
            dialogue = Dialogue.objects.select_for_update().select_related("group").get(pk=dialogue.pk)
            previous = dialogue.need_versions.select_related("version").last()
            entry, created = DialogueNeedVersion.objects.get_or_create(
                dialogue=dialogue, version_id=need.published_version_id
            )
            if not created:
                continue
            recorded.append(entry)
            version = entry.version
            change = {
                "field": NEED_VERSION_FIELD,
                "label": _("need statement version"),
                "old": previous.version.number if previous is not None else None,
                "new": version.number,
            }
            notice = _publish_notice(
                dialogue=dialogue,
                user=user,
                kind=Answer.Kind.CHANGE,
                body=version.change_note.strip() or _("A new version of the need statement was published."),
                changes=[change],
            )
            record_audit(
                actor=user,
                action=Action.DIALOGUE_AMENDED,
                target=dialogue,
                group=dialogue.group,
                reason=notice.body,
                detail=f"no. {notice.number}: {NEED_VERSION_FIELD} {change['old']} → {change['new']}",
            )
    return recorded


# --- Participation -----------------------------------------------------------------------


@transaction.atomic
def register_participation(*, dialogue, organisation, user) -> Participation:
    if suspended := suspension_refusal(user, dialogue.group_id):
        raise DialogueRuleError(suspended)
    if not dialogue.is_open:
        raise DialogueRuleError(_("Suppliers can register only while the dialogue is open."))
    if not (organisation.is_supplier and organisation.is_verified):
        raise DialogueRuleError(_("Only verified supplier organisations can take part."))
    if dialogue.participations.active().filter(organisation=organisation).exists():
        raise DialogueRuleError(
            _("%(organisation)s already takes part in this dialogue.") % {"organisation": organisation.name}
        )
    Dialogue.objects.select_for_update().filter(pk=dialogue.pk).first()  # one label per registration at a time
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                dialogue=dialogue,
                organisation=organisation,
                registered_by=user,
            )
    except IntegrityError as error:  # two clicks at once: the constraint keeps one
        raise DialogueRuleError(
            _("%(organisation)s already takes part in this dialogue.") % {"organisation": organisation.name}
        ) from error
    return participation


@transaction.atomic
def withdraw_participation(*, participation, user) -> None:
    participation.withdrawn_at = timezone.now()
    participation.withdrawn_by = user
    participation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    # Open sockets re-check access at once: the open discussion closes, the private one stays.
    revoke_socket_access(participation.organisation.staff.values_list("user_id", flat=True))
    # A withdrawn supplier keeps nothing booked: the slot goes back to the others.
    MeetingSlot.objects.filter(
        dialogue_id=participation.dialogue_id,
        organisation_id=participation.organisation_id,
        starts_at__gt=timezone.now(),
    ).update(
        organisation=None,
        booked_by=None,
        booked_at=None,
        # as cancel_meeting_booking does: calendars are told the meeting is off
        cancelled_organisation=participation.organisation_id,
        cancelled_at=timezone.now(),
        sequence=F("sequence") + 1,
    )
