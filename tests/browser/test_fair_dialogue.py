"""Two competing suppliers run a whole market dialogue with the group in chromium (issue 16):
they take part, ask, get an answer and a clarification, see a date amended, talk in the open
discussion while the other has it open, book meetings and send proposals. Everything either
supplier is served (every page and fetch answer, the page as it stands after live updates, the
notification centre, searches for the other) and every WebSocket frame it receives is kept, and
none of it may name the other supplier: its organisation's name, short names and trademarks,
its people's names and surnames, its e-mail and web domain, its organisation number in either
format or its phone number. The other supplier appears only as its label ("Leverantör A").

In the services mode (PostgreSQL and Redis, as in CI) the site runs in the production server
(scripts/web) and frames flow; in the embedded mode there is only Django's live server, without
WebSockets, so the pages are checked and each reader reloads to see the others' messages."""

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import formats, timezone, translation

from accounts.models import Organisation, OrganisationMember
from dialogues.models import Participation, Submission
from dialogues.services.dialogue import create_dialogue, open_dialogue
from groups.models import NeedStatement
from groups.services.group import create_group
from groups.services.memberships import decide_membership, request_membership
from groups.services.needs import create_need, move_need
from tests.browser.test_foundation_pages import sign_in
from tests.dialogues.servers import web_server
from tests.factories import PASSWORD, OrganisationFactory, luhn_number, person_at
from tests.groups.conftest import FIELDS, REQUIREMENTS

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN = OrganisationMember.Role.ADMIN
OUTER_HTML = "elements => elements.map(element => element.outerHTML)"


@dataclass
class Supplier:
    """A supplier organisation, what identifies it, and (in the test) its person's browser and
    everything that browser was given."""

    name: str
    short_names: list
    people: list  # (name, e-mail); the first takes part
    domain: str
    number: str  # with the hyphen
    phone: str
    organisation: Organisation = None
    user: object = None
    page: object = None
    seen: list = field(default_factory=list)  # (where, text)
    frames: int = 0

    def identifiers(self) -> list[tuple[str, str]]:
        """(what, text): everything that must never reach another supplier."""
        found = [("organisation name", self.name)]
        found += [("short name", short) for short in self.short_names]
        for person, _email in self.people:
            found += [("person", person), ("surname", person.split()[-1])]
        found += [("e-mail and web domain", self.domain)]
        found += [("organisation number", self.number), ("organisation number", self.number.replace("-", ""))]
        found += [("phone number", self.phone), ("phone number", re.sub(r"\D", "", self.phone))]
        return found


def make_suppliers() -> tuple[Supplier, Supplier]:
    solvent = Supplier(
        name="Solvent Energi AB",
        short_names=["Solvent", "SolvCharge"],
        people=[("Sara Säljare", "sara@solvent.se"), ("Sven Solberg", "sven@solvent.se")],
        domain="solvent.se",
        number=luhn_number("556036079"),
        phone="08-123 45 67",
    )
    nordlys = Supplier(
        name="Nordlys Teknik AB",
        short_names=["Nordlys", "Polarbox"],
        people=[("Omar Nilsson", "omar@nordlys.se"), ("Nina Norrby", "nina@nordlys.se")],
        domain="nordlys.se",
        number=luhn_number("556677889"),
        phone="031-765 43 21",
    )
    for supplier in (solvent, nordlys):
        supplier.organisation = OrganisationFactory(
            name=supplier.name,
            kind=Organisation.Kind.SUPPLIER,
            organisation_number=supplier.number,
            short_names="\n".join(supplier.short_names),
            website=f"https://www.{supplier.domain}/",
            phone=supplier.phone,
        )
        (name, email), *colleagues = supplier.people
        supplier.user = person_at(supplier.organisation, role=ADMIN, name=name, email=email, language="sv")
        for name, email in colleagues:
            person_at(supplier.organisation, name=name, email=email, language="sv")
    return solvent, nordlys


@pytest.fixture
def fair(db):
    """A buyer group (coordinator Anna at Växjö, member user Erik at Lund) with an open
    dialogue on its published need, and two verified suppliers that do not take part yet."""
    vaxjo = OrganisationFactory(name="Växjö kommun")
    lund = OrganisationFactory(name="Lunds kommun")
    anna = person_at(vaxjo, role=ADMIN, name="Anna Andersson", email="anna@vaxjo.se", language="sv")
    erik = person_at(lund, role=ADMIN, name="Erik Lindqvist", email="erik@lund.se", language="sv")
    group = create_group(
        creator=anna,
        organisation=vaxjo,
        name="Fossilfria arbetsmaskiner",
        theme="transport",
        summary="Kommuner som vill byta till fossilfria arbetsmaskiner.",
        challenge="För små volymer var för sig.",
        is_open=True,
    )
    membership = request_membership(group=group, organisation=lund, user=erik, motivation="Vi vill", role="member")
    decide_membership(membership=membership, user=anna, approve=True)
    need = create_need(group=group, user=anna, fields=FIELDS, requirements=REQUIREMENTS, change_note="v1")
    move_need(need=need, user=anna, to_state=NeedStatement.State.PUBLISHED)
    need.refresh_from_db()
    now = timezone.localtime().replace(second=0, microsecond=0)
    dialogue = create_dialogue(
        group=group,
        need=need,
        user=anna,
        title="Dialog om laddning vid depåer",
        purpose="Vilka laddlösningar finns för depåer med 3×16 A?",
        schedule="Frågor i två veckor, möten vecka 2.",
        meeting_plan="Enskilda möten på 45 minuter.",
        question_deadline=now + timedelta(days=14),
        submission_deadline=now + timedelta(days=30),
        answer_days=5,
    )
    dialogue = open_dialogue(dialogue=dialogue, user=anna)
    solvent, nordlys = make_suppliers()
    return SimpleNamespace(dialogue=dialogue, anna=anna, erik=erik, solvent=solvent, nordlys=nordlys)


@pytest.fixture
def server(request):
    """Daphne, with WebSockets, when the services are there; otherwise Django's live server."""
    if connection.vendor == "postgresql" and settings.REDIS_URL:
        with web_server() as address:
            yield SimpleNamespace(url=f"http://{address}", live=True)
    else:
        yield SimpleNamespace(url=request.getfixturevalue("live_server").url, live=False)


def open_browser(browser, server, user):
    page = browser.new_context(locale="sv-SE").new_page()
    page.set_default_timeout(15_000)
    sign_in(page, server, user.email, password=PASSWORD)
    page.wait_for_url(re.compile(r"/dashboard/$"))
    return page


def keep_everything(supplier: Supplier) -> None:
    """From now on, keep every page and fetch answer the supplier's browser is served and every
    WebSocket frame it receives."""

    def served(response):
        request = response.request
        if request.resource_type not in ("document", "fetch", "xhr") or 300 <= response.status < 400:
            return
        if "/search/" in response.url:  # it repeats the words typed: its hits are kept instead
            return
        supplier.seen.append((f"{request.method} {response.url} ({response.status})", response.text()))

    def socket(websocket):
        def received(payload):
            supplier.frames += 1
            text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
            supplier.seen.append((f"frame {supplier.frames} on {websocket.url}", text))

        websocket.on("framereceived", received)

    supplier.page.on("response", served)
    supplier.page.on("websocket", socket)


def look(supplier: Supplier, label: str) -> None:
    """The page as it stands now, with whatever arrived live."""
    supplier.seen.append((f"page {supplier.page.url} ({label})", supplier.page.content()))


def readable(text: str) -> str:
    """JSON frames escape non-ASCII letters and HTML escapes some characters: undo both."""
    try:
        text = json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        pass
    return unicodedata.normalize("NFC", html.unescape(text))


def leaks(reader: Supplier, other: Supplier) -> list[str]:
    """Every place where the reader was given one of the other's identifiers (case-insensitive,
    at the start of a word, so "Solvents" counts and "insolvent" does not)."""
    patterns = [
        (what, term, re.compile(r"(?<!\w)" + re.escape(unicodedata.normalize("NFC", term)), re.IGNORECASE))
        for what, term in other.identifiers()
    ]
    found = []
    for where, text in reader.seen:
        text = readable(text)
        for what, term, pattern in patterns:
            for match in list(pattern.finditer(text))[:3]:  # a few places per page are enough
                context = " ".join(text[max(0, match.start() - 60) : match.end() + 60].split())
                found.append(f"{reader.name} sees {other.name}'s {what} {term!r} in {where}: …{context}…")
    return found


def submit(page, button_name):
    page.get_by_role("button", name=button_name, exact=True).click()
    page.wait_for_load_state()


def post(page, text):
    page.fill("#composer-form textarea", text)
    page.click("#composer-form button[type=submit]")
    page.locator("#messages > li", has_text=text).wait_for()


def sees_message(reader: Supplier, text: str, server) -> None:
    """The reader has the discussion open: live, the message arrives by itself; without
    WebSockets the reader reloads."""
    if not server.live:
        reader.page.reload()
    reader.page.locator("#messages > li", has_text=text).wait_for()


def test_neither_supplier_ever_sees_who_the_other_is(browser, fair, server):
    dialogue, solvent, nordlys = fair.dialogue, fair.solvent, fair.nordlys
    base = f"{server.url}/dialogues/{dialogue.pk}"
    anna = open_browser(browser, server, fair.anna)
    for supplier in (solvent, nordlys):
        supplier.page = open_browser(browser, server, supplier.user)
        keep_everything(supplier)

    # Both take part; Solvent first, so it is "Leverantör A" to the others.
    for supplier in (solvent, nordlys):
        supplier.page.goto(f"{base}/")
        submit(supplier.page, "Delta")
        supplier.page.wait_for_selector(f"main:has-text('{supplier.name} deltar')")
    labels = {}
    with translation.override("sv"):
        for supplier in (solvent, nordlys):
            participation = Participation.objects.get(dialogue=dialogue, organisation=supplier.organisation)
            labels[supplier.name] = participation.label

    # Each asks a question that names itself all over.
    questions = {
        solvent.name: "Vi på Solvent undrar: räcker 3×16 A för snabbladdning av SolvCharge? Ring Sara Säljare, "
        "08-123 45 67.",
        nordlys.name: f"Nordlys Teknik ({nordlys.number}) frågar hur många drifttimmar per år ni räknar med. "
        "/Omar Nilsson, omar@nordlys.se",
    }
    for supplier in (solvent, nordlys):
        supplier.page.goto(f"{base}/questions/")
        supplier.page.fill("textarea[name=text]", questions[supplier.name])
        submit(supplier.page, "Skicka frågan")
        supplier.page.wait_for_selector("main:has-text('Din fråga är skickad')")

    # Anna answers Solvent's question, reworded, and publishes it through the confirmation page;
    # then a clarification of her own.
    anna.goto(f"{base}/questions/")
    anna.locator("tr", has_text="snabbladdning").get_by_role("link", name="Svar", exact=True).click()
    anna.fill("textarea[name=question_text]", "Räcker 3×16 A för snabbladdning?")
    anna.fill("textarea[name=body]", "Nej, men laddning över natten räcker för kraven.")
    submit(anna, "Spara utkastet")
    anna.get_by_role("link", name="Publicera för alla deltagare").click()
    anna.wait_for_load_state()
    submit(anna, "Publicera för alla deltagare")
    anna.wait_for_selector("main:has-text('Svar 1 är publicerat')")
    anna.goto(f"{base}/questions/")
    anna.get_by_role("link", name="Skriv ett förtydligande till alla deltagare").click()
    anna.fill("textarea[name=question_text]", "Depåernas elanslutning")
    anna.fill("textarea[name=body]", "De flesta depåer har 3×16 A. Ange vad er lösning kräver.")
    submit(anna, "Spara utkastet")
    anna.get_by_role("link", name="Publicera för alla deltagare").click()
    anna.wait_for_load_state()
    submit(anna, "Publicera för alla deltagare")
    anna.wait_for_selector("main:has-text('2 är publicerat')")

    # Anna moves the last day for questions three days later: a numbered amendment, with the
    # reason, to both suppliers at once.
    dialogue.refresh_from_db()
    new_deadline = timezone.localtime(dialogue.question_deadline) + timedelta(days=3)
    anna.goto(f"{base}/edit/")
    anna.fill("input[name=question_deadline]", new_deadline.strftime("%Y-%m-%dT%H:%M"))
    anna.fill("textarea[name=reason]", "Fler leverantörer har bett om mer tid för frågor.")
    submit(anna, "Publicera ändringen")
    anna.wait_for_selector("main:has-text('Ändring nr 3 är publicerad för 2 deltagare')")
    with translation.override("sv"):
        shown_deadline = formats.date_format(new_deadline, "DATETIME_FORMAT")
    for supplier in (solvent, nordlys):
        supplier.page.goto(f"{base}/")
        supplier.page.wait_for_selector(f"main dd:has-text('{shown_deadline}')")
        supplier.page.goto(f"{base}/questions/")
        main = supplier.page.locator("main").inner_text()
        assert "Räcker 3×16 A för snabbladdning?" in main and "Depåernas elanslutning" in main
        assert "Ändring nr 3" in main and "Fler leverantörer har bett om mer tid" in main

    # The open discussion: each writes while the other has it open; Anna mentions both.
    for page in (solvent.page, nordlys.page, anna):
        page.goto(f"{server.url}/threads/dialogue/{dialogue.pk}/")
        if server.live:
            page.wait_for_selector("#live-state:not([hidden])")
    if server.live:  # who is here has gone out to the suppliers too
        for supplier in (solvent, nordlys):
            supplier.page.wait_for_selector("#presence:not([hidden])")
    said = {
        solvent.name: "Hej! Vi funderar på tvåstegsladdning, hur tänker ni andra?",
        nordlys.name: "Samma här: vi undrar också över kabeldimensioneringen i depåerna.",
    }
    searchable = {solvent.name: "tvåstegsladdning", nordlys.name: "kabeldimensioneringen"}
    post(solvent.page, said[solvent.name])
    sees_message(nordlys, said[solvent.name], server)
    post(nordlys.page, said[nordlys.name])
    sees_message(solvent, said[nordlys.name], server)
    # A group user's @mention of a supplier's person must not name that person to the others.
    post(anna, f"@{solvent.people[0][0]} och @{nordlys.people[0][0]}: vi svarar om effekten under Frågor och svar.")
    for supplier in (solvent, nordlys):
        sees_message(supplier, "vi svarar om effekten", server)
        look(supplier, "the discussion after the live messages")

    # Anna offers two meeting times; each supplier books one.
    anna.goto(f"{base}/meetings/")
    first_meeting = timezone.localtime() + timedelta(days=5)
    anna.fill("input[name=first_start]", first_meeting.strftime("%Y-%m-%dT%H:%M"))
    anna.fill("input[name=count]", "2")
    submit(anna, "Erbjud tiderna")
    for supplier in (solvent, nordlys):
        supplier.page.goto(f"{base}/meetings/")
        supplier.page.get_by_role("button", name="Boka").first.click()
        supplier.page.wait_for_selector("main:has-text('Mötet är bokat')")

    # Each sends a proposal.
    proposals = {
        solvent.name: "Solvent Energi föreslår SolvCharge: laddbox med lastbalansering.",
        nordlys.name: "Nordlys Teknik föreslår Polarbox med batteribyte.",
    }
    for supplier in (solvent, nordlys):
        supplier.page.goto(f"{base}/submissions/")
        supplier.page.fill("textarea[name=text]", proposals[supplier.name])
        submit(supplier.page, "Skicka förslaget")
        supplier.page.wait_for_url(re.compile(r"/submissions/\d+/$"))
    assert Submission.objects.filter(dialogue=dialogue).count() == 2

    # Every page of the dialogue again, the notification centre, and searches for the other. A
    # search page repeats the words typed, so only its hits are kept; and any hit for the other's
    # name tells who takes part, even when the hit's text does not name them.
    problems = []
    for supplier, other in ((solvent, nordlys), (nordlys, solvent)):
        page = supplier.page
        for path in ("/", "/questions/", "/meetings/", "/submissions/"):
            page.goto(f"{base}{path}")
        page.goto(f"{server.url}/threads/dialogue/{dialogue.pk}/")
        page.goto(f"{server.url}/notifications/")
        for _what, term in [*other.identifiers(), ("message", searchable[other.name])]:
            page.goto(f"{server.url}/search/?q={quote(term)}")
            hits = page.locator(".search-hit")
            supplier.seen.append((f"the hits of a search for {term!r}", "\n".join(hits.evaluate_all(OUTER_HTML))))
            if term == searchable[other.name]:
                assert hits.count() >= 1, f"{supplier.name} does not find the other's message"
            elif hits.count():
                problems.append(f"{supplier.name} searches for {term!r} and gets {hits.count()} hit(s)")

    problems += leaks(solvent, nordlys) + leaks(nordlys, solvent)
    assert not problems, f"{len(problems)} leak(s):\n" + "\n".join(problems)

    # The positive side, so that seeing nothing cannot pass: each supplier sees its own message
    # under its own name and the other's under the other's label, and got the other's live.
    for supplier, other in ((solvent, nordlys), (nordlys, solvent)):
        supplier.page.goto(f"{server.url}/threads/dialogue/{dialogue.pk}/")
        messages = supplier.page.locator("#messages > li")
        own = messages.filter(has_text=said[supplier.name]).locator(".message-meta").inner_text()
        theirs = messages.filter(has_text=said[other.name]).locator(".message-meta").inner_text()
        assert supplier.people[0][0] in own
        assert labels[other.name] in theirs, theirs
        if server.live:
            frames = [readable(text) for where, text in supplier.seen if where.startswith("frame ")]
            assert any(said[other.name] in frame for frame in frames)
