"""The world the security suite attacks: two buyer groups A and B built the same way through
the services, each with a published need, a draft need, an open dialogue, questions, answers,
a proposal with an attachment, meetings, documents and the three kinds of discussion.

The people are cast relative to group A (ROLES); group B has its own coordinator, member and
participating supplier, so that its objects are real and reachable by their own people."""

from datetime import timedelta
from types import SimpleNamespace

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Invitation, Organisation, OrganisationMember
from accounts.services import register_domain, renew_calendar_link, request_domain_join
from dialogues.services.answers import ask_question, publish_answer, save_answer_draft
from dialogues.services.declarations import declare_conflict
from dialogues.services.dialogue import create_dialogue, open_dialogue, register_participation
from dialogues.services.meetings import add_meeting_slots, book_meeting_slot
from dialogues.services.proposals import submit_proposal
from discussions.services import (
    get_or_create_dialogue_thread,
    get_or_create_private_thread,
    post_message,
    start_group_thread,
)
from groups.models import Coordinator, NeedStatement
from groups.services.documents import add_document
from groups.services.group import create_group
from groups.services.memberships import decide_membership, invite_organisation, request_membership
from groups.services.needs import create_need, move_need
from guidance.seed import seed_guidance
from indicator.outreach import send_outreach
from indicator.services import delegate_answering
from moderation.services import report_content, suspend_user
from notifications.models import Notification
from notifications.tokens import unsubscribe_token
from tests.factories import OrganisationFactory, UserFactory, person_at

# Everyone the matrix signs in as, relative to group A (None = not signed in).
ROLES = (
    "anonymous",  # not signed in
    "unverified",  # works for a supplier that Upphandlingsmyndigheten has not verified yet
    "outsider",  # a verified authority's user, not in group A
    "member",  # a user of one of group A's member authorities
    "coordinator",  # group A's coordinator
    "observer",  # a user of group A's observer agency
    "supplier",  # a supplier taking part in A's dialogue: owns the proposal, question, private thread
    "other_supplier",  # a competing supplier taking part in the same dialogue
    "facilitator",  # Upphandlingsmyndigheten, with two-factor authentication set up
)

FIELDS = {
    "title": "Fossilfria hjullastare",
    "background": "Bakgrund",
    "challenge": "Utmaning",
    "constraints": "",
    "sustainability_goals": "",
    "timeline": "",
    "market_questions": "",
}
REQUIREMENTS = [{"number": None, "text": "Åtta timmar.", "priority": "must", "rationale": "", "verification": ""}]


def _authority(name, **fields):
    return OrganisationFactory(name=name, **fields)


def _supplier(name, **fields):
    return OrganisationFactory(name=name, kind=Organisation.Kind.SUPPLIER, **fields)


def build_side(label, *, coordinator, coordinator_organisation, members, observers, suppliers):
    """One buyer group with everything in it. `members`/`observers`: (organisation, user);
    `suppliers`: (organisation, user) taking part, the first one owning the private objects."""
    now = timezone.now()
    group = create_group(
        creator=coordinator,
        organisation=coordinator_organisation,
        name=f"Grupp {label}",
        theme="transport",
        summary="Kommuner som vill byta till fossilfria arbetsmaskiner.",
        challenge="För små volymer var för sig.",
        is_open=True,
    )
    for role, pairs in (("member", members), ("observer", observers)):
        for organisation, user in pairs:
            membership = request_membership(
                group=group, organisation=organisation, user=user, motivation="Vi", role=role
            )
            decide_membership(membership=membership, user=coordinator, approve=True)
    need = create_need(group=group, user=coordinator, fields=FIELDS, requirements=REQUIREMENTS, change_note="v1")
    move_need(need=need, user=coordinator, to_state=NeedStatement.State.PUBLISHED)
    need.refresh_from_db()
    draft_need = create_need(
        group=group, user=coordinator, fields={**FIELDS, "title": "Utkast"}, requirements=REQUIREMENTS, change_note="v1"
    )
    dialogue = create_dialogue(
        group=group,
        need=need,
        user=coordinator,
        title=f"Dialog {label}",
        purpose="Vi vill veta vad marknaden kan leverera.",
        schedule="Två veckor.",
        meeting_plan="Enskilda möten.",
        question_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=30),
        answer_days=5,
    )
    dialogue = open_dialogue(dialogue=dialogue, user=coordinator)
    participations = [
        register_participation(dialogue=dialogue, organisation=organisation, user=user)
        for organisation, user in suppliers
    ]
    owner_organisation, owner = suppliers[0]
    declare_conflict(dialogue=dialogue, user=coordinator, has_conflict=False)
    for _organisation, user in members:
        declare_conflict(dialogue=dialogue, user=user, has_conflict=False)

    question = ask_question(
        dialogue=dialogue, organisation=owner_organisation, user=owner, text=f"{owner_organisation} undrar: batteri?"
    )
    answered = ask_question(dialogue=dialogue, organisation=owner_organisation, user=owner, text="Hur många timmar?")
    answer = publish_answer(
        answer=save_answer_draft(
            dialogue=dialogue, user=coordinator, question_text="Drifttimmar?", body="1 200.", questions=[answered]
        ),
        user=coordinator,
    )
    draft_answer = save_answer_draft(dialogue=dialogue, user=coordinator, question_text="Utkast?", body="Utkast")
    version = submit_proposal(
        dialogue=dialogue,
        organisation=owner_organisation,
        user=owner,
        text=f"Hemligt förslag från {owner_organisation}.",
        uploads=[(ContentFile(b"pris: 1 000 000 kr\n", name="pris.txt"), "text/plain; charset=utf-8", True)],
    )
    slots = add_meeting_slots(
        dialogue=dialogue, user=coordinator, first_start=now + timedelta(days=3), length_minutes=60, count=2
    )
    booked = book_meeting_slot(slot=slots[0], organisation=owner_organisation, user=owner)
    document = add_document(
        group=group,
        title="Marknadsanalys",
        upload=ContentFile(b"analys\n", name="analys.txt"),
        content_type="text/plain; charset=utf-8",
        user=coordinator,
    )
    group_thread = start_group_thread(group=group, author=coordinator, title="Laddning", body="Hur gör vi?")
    open_thread = get_or_create_dialogue_thread(dialogue=dialogue, user=coordinator)
    private_thread = get_or_create_private_thread(dialogue=dialogue, supplier=owner_organisation, user=owner)
    open_message = post_message(thread=open_thread, author=coordinator, body="Välkomna!")
    private_message = post_message(thread=private_thread, author=owner, body="I förtroende: vårt pris.")
    group_message = group_thread.messages.get()
    # A member's open report of the group discussion's first message, and a group suspension of
    # someone outside the cast, for the moderation pages.
    report = report_content(reporter=members[0][1], target=group_message, reason="Ton")
    suspension = suspend_user(
        user=UserFactory(name=f"Avstängd {label}"), moderator=coordinator, group=group, reason="Spam"
    )
    return SimpleNamespace(
        report=report,
        suspension=suspension,
        group=group,
        need=need,
        draft_need=draft_need,
        dialogue=dialogue,
        participation=participations[0],
        question=question,
        answered_question=answered,
        answer=answer,
        draft_answer=draft_answer,
        submission=version.submission,
        attachment=version.attachments.get(),
        booked_slot=booked,
        free_slot=slots[1],
        document=document,
        document_version=document.latest_version,
        group_thread=group_thread,
        group_message=group_message,
        open_thread=open_thread,
        open_message=open_message,
        private_thread=private_thread,
        private_message=private_message,
        coordinator_row=Coordinator.objects.get(group=group, user=coordinator),
        supplier_organisation=owner_organisation,
        member_organisation=members[0][0],
        member_user=members[0][1],
    )


def organisation_business(side, authority, admin):
    """An authority's own business: an invitation, a registered domain, a join request through
    it, an indicator delegation."""
    domain = authority.name.split()[0].lower().replace("ö", "o").replace("ä", "a")
    colleague = person_at(authority, name=f"Kollega {domain}", email=f"kollega@{domain}.se")
    side.authority = authority
    side.invitation = Invitation.objects.create(
        organisation=authority, email=f"ny@{domain}.se", role=OrganisationMember.Role.MEMBER, invited_by=admin
    )
    side.domain = register_domain(organisation=authority, domain=f"{domain}.se", added_by=admin)
    side.join_request = request_domain_join(
        organisation=authority, user=UserFactory(name=f"Ny {domain}", email=f"ny.person@{domain}.se")
    )
    side.delegation = delegate_answering(organisation=authority, user=colleague, granted_by=admin)


def build_world():
    seed_guidance()  # the migration's texts, gone if a transactional test flushed the tables
    admin = OrganisationMember.Role.ADMIN
    vaxjo = _authority("Växjö kommun")
    lund = _authority("Lunds kommun")
    energi = _authority("Energimyndigheten", kind=Organisation.Kind.STATLIG_MYNDIGHET)
    trafikverket = _authority("Trafikverket", kind=Organisation.Kind.STATLIG_MYNDIGHET)
    solvent = _supplier("Solvent AB")
    nordlys = _supplier("Nordlys AB")
    unverified = _supplier("Oprövad AB", status=Organisation.Status.UNVERIFIED)
    agency = OrganisationFactory(name="Upphandlingsmyndigheten", kind=Organisation.Kind.FACILITATING_AGENCY)
    # Group B's own people.
    malmo = _authority("Malmö stad")
    kalmar = _authority("Kalmar kommun")
    bergen = _supplier("Bergen Maskin AB")

    users = {
        "anonymous": None,
        "unverified": person_at(unverified, role=admin, name="Ulf Overifierad", email="ulf@oprovad.se"),
        "outsider": person_at(trafikverket, role=admin, name="Maria Utanför", email="maria@trafikverket.se"),
        "member": person_at(lund, role=admin, name="Erik Medlem", email="erik@lund.se"),
        "coordinator": person_at(vaxjo, role=admin, name="Anna Samordnare", email="anna@vaxjo.se"),
        "observer": person_at(energi, role=admin, name="Olle Observatör", email="olle@energi.se"),
        "supplier": person_at(solvent, role=admin, name="Sara Leverantör", email="sara@solvent.se"),
        "other_supplier": person_at(nordlys, role=admin, name="Omar Konkurrent", email="omar@nordlys.se"),
        "facilitator": person_at(agency, name="Fia Processledare", email="fia@uhm.se"),
    }
    TOTP.activate(users["facilitator"], generate_totp_secret())
    b_coordinator = person_at(malmo, role=admin, name="Bo Samordnare", email="bo@malmo.se")
    b_member = person_at(kalmar, role=admin, name="Karin Medlem", email="karin@kalmar.se")
    b_supplier = person_at(bergen, role=admin, name="Berit Leverantör", email="berit@bergen.se")

    a = build_side(
        "A",
        coordinator=users["coordinator"],
        coordinator_organisation=vaxjo,
        members=[(lund, users["member"])],
        observers=[(energi, users["observer"])],
        suppliers=[(solvent, users["supplier"]), (nordlys, users["other_supplier"])],
    )
    b = build_side(
        "B",
        coordinator=b_coordinator,
        coordinator_organisation=malmo,
        members=[(kalmar, b_member)],
        observers=[],
        suppliers=[(bergen, b_supplier)],
    )
    # Group A's membership business: Trafikverket asks to join, Kalmar is invited.
    a.pending_membership = request_membership(
        group=a.group, organisation=trafikverket, user=users["outsider"], motivation="Vi vill vara med"
    )
    a.invited_membership = invite_organisation(
        group=a.group, organisation=kalmar, role="member", user=users["coordinator"]
    )
    a.member_membership = a.group.memberships.get(organisation=lund)
    b.pending_membership = request_membership(
        group=b.group, organisation=trafikverket, user=users["outsider"], motivation="Vi vill vara med i B"
    )
    b.member_membership = b.group.memberships.get(organisation=kalmar)
    b.invited_membership = invite_organisation(group=b.group, organisation=lund, role="member", user=b_coordinator)

    # Organisation business around each coordinator's authority (the coordinator is its admin).
    organisation_business(a, vaxjo, users["coordinator"])
    organisation_business(b, malmo, b_coordinator)
    notification = Notification.objects.filter(recipient=users["member"]).latest("pk")
    # A facilitator's letter to group A's people (indicator/outreach.py).
    outreach_letter = send_outreach(
        sender=users["facilitator"], audience="group", group=a.group, subject="Till grupp A", body="Hej"
    )
    return SimpleNamespace(
        users=users,
        A=a,
        B=b,
        vaxjo=vaxjo,
        lund=lund,
        malmo=malmo,
        solvent=solvent,
        nordlys=nordlys,
        unverified_organisation=unverified,
        notification=notification,
        outreach_letter=outreach_letter,
        unsubscribe_token=unsubscribe_token(users["member"], "digest"),
        # Someone outside the cast: no role's renewing (a POST in the matrix) replaces it.
        calendar_token=renew_calendar_link(user=b_member),
        year=timezone.localdate().year,
    )
