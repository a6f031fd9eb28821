"""Demo discussions for `manage.py load_demo` (idempotent: a discussion that has messages is
left alone). Messages are written in bulk with their Markdown rendered, like post_message
would, but without the live broadcast or the rate limit."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from dialogues.models import Dialogue
from discussions.markdown import render_message
from discussions.models import Message, Thread
from discussions.services import get_or_create_dialogue_thread, get_or_create_private_thread
from groups.models import BuyerGroup

GROUP_SLUG = "fossilfria-arbetsmaskiner"
BIG_THREAD_TITLE = "Laddning vid depåerna inför marknadsdialogen"
SMALL_THREAD_TITLE = "Studiebesök hos Lunds kommuns maskinpark"

ANNA = [
    "Jag har fått siffror från vår fastighetsavdelning: depån på Norremark har 63 A säkring idag.",
    "Kan vi enas om att kravet på laddning över natten gäller 3–8 ton och inte de större maskinerna?",
    "Jag lägger upp ett utkast till frågor till marknaden i dokumentbiblioteket i eftermiddag.",
    "Bra poäng. Jag tar med det till samordningsmötet på torsdag.",
    "Vi har bokat lokal för informationsmötet, men datumet är inte spikat än.",
    "Jag pratade med vår maskinansvarige: de kör i snitt 6,5 timmar per pass på vintern.",
    "Ska vi skriva kravet på buller som *bör* i stället för *ska*? Det blir svårt att verifiera annars.",
    "Tack @Erik Lindqvist, det var precis det underlaget jag saknade.",
    "Jag har uppdaterat tidplanen i behovsbeskrivningen. Säg till om något ser konstigt ut.",
    "Vi behöver bestämma vem som svarar på leverantörernas frågor under semestern.",
    "Upphandlingsmyndigheten har en mall för dialogmöten som vi kan använda, jag kollar.",
    "Kan någon räkna på hur många laddpunkter vi behöver om alla maskiner står inne samtidigt?",
    "Sammanfattning av dagens möte:\n\n- laddeffekt utreds vidare\n- krav R2 ses över\n- nytt möte om två veckor",
    "Jag håller med, vi ska inte peka ut någon särskild batteriteknik i kraven.",
    "Nu har styrelsen i Växjö tagit beslut om volymen. 12 maskiner står kvar.",
]
ERIK = [
    "Hos oss i Lund är det samma sak, effekten räcker till två laddare per depå utan ombyggnad.",
    "Vi har mätt förbrukningen på en eldriven hjullastare i provdrift: ungefär 9 kWh per timme.",
    "Jag tycker vi frågar marknaden om batteribyte som alternativ till snabbladdning.",
    "Kan vi lägga till en fråga om servicenätet? Vi har dåliga erfarenheter från förra upphandlingen.",
    "Instämmer. Vi bör inte låsa oss vid en viss laddstandard i det här skedet.",
    "Jag har lagt in vårt underlag om depåerna, se **Behovsinventering arbetsmaskiner 2026**.",
    "Förslag: vi ber leverantörerna beskriva hur maskinen klarar kyla ner till −25 °C.",
    "Vår driftchef undrar om redskapen verkligen passar utan adapter. Någon som vet?",
    "Jag kan ta fram ett utkast till frågorna om garanti och batteriets livslängd.",
    "Det låter rimligt. Lund ligger kvar på åtta maskiner, men leveransen kan bli senare.",
    "Har ni sett att det finns en ny vägledning om funktionskrav? Länk: https://www.upphandlingsmyndigheten.se",
    "@Anna Andersson, kan du dela presentationen från workshopen?",
    "Vi måste nog räkna med att vissa maskiner laddas dagtid också, i alla fall vintertid.",
    "Jag har bokat studiebesöket hos vår maskinpark den 12:e. Välkomna!",
    "Jag tar kontakt med vår nätägare om effektfrågan och återkommer.",
]
OLLE = [
    "Från Energimyndighetens sida: titta gärna på total ägandekostnad, inte bara inköpspriset.",
    "Det finns erfarenheter från teknikupphandlingar där gruppen ställde krav på energiprestanda i steg.",
    "Ett tips är att fråga om laddning med lastbalansering, då räcker befintlig effekt längre.",
    "Vi har statistik över laddinfrastruktur i kommunerna som jag kan skicka över.",
    "Jag vill bara påminna om att kraven bör vara teknikneutrala, annars stänger ni ute lösningar.",
    "Bra diskussion. Jag har inget att invända mot formuleringen i R1.",
    "Fundera på om ni ska dela upp i två delområden: 3–5 ton och 5–8 ton.",
    "Som observatör kan jag inte ta ställning, men jag kan beskriva vad andra grupper har gjort.",
    "> teknikneutrala krav\n\nJust det. Beskriv funktionen, inte batteriet.",
    "Vi ordnar gärna ett webbinarium om laddning för gruppen i höst.",
]

OPENERS = [
    "",
    "",
    "",
    "Håller med. ",
    "En sak till: ",
    "Kort uppdatering: ",
    "Tack! ",
    "Jag tänkte på en sak. ",
    "Bra fråga. ",
]

DIALOGUE_MESSAGES = [
    (
        "anna",
        "Välkomna till den öppna diskussionen! Här kan alla deltagande leverantörer och gruppen prata. "
        "Frågor som behöver ett officiellt svar ställer ni under **Frågor och svar**.",
    ),
    ("sara", "Tack! Vi undrar om gruppen har bestämt vilka redskapsfästen som ska gälla."),
    ("anna", "Inte än. Vi återkommer efter samordningsmötet, och svaret publiceras för alla."),
    ("omar", "Går det att boka dialogmöten digitalt? Vi sitter i Trondheim."),
    ("anna", "Ja, alla möten kan hållas digitalt. Länken kommer i bokningen."),
]
PRIVATE_MESSAGES = [
    ("sara", "Hej! Vi vill gärna visa vår prototyp på en av era depåer. Är det möjligt?"),
    ("anna", "Hej Sara! Vi kan erbjuda samma möjlighet till alla deltagare, så vi tar upp det i gruppen först."),
    ("sara", "Förstår. Vi skickar underlaget om laddeffekt som en del av vårt förslag i stället."),
]


def working_hours(end, count: int, *, step_minutes: int) -> list:
    """count moments on weekdays between 08:00 and 17:00, `step_minutes` apart, the last near `end`."""
    moments, moment = [], end.replace(hour=15, minute=40)
    while len(moments) < count:
        if moment.weekday() < 5 and 8 <= moment.hour < 17:
            moments.append(moment)
        moment -= timedelta(minutes=step_minutes)
    return list(reversed(moments))


def _bulk_messages(thread: Thread, lines, *, moments, mentionable) -> None:
    """lines: (user, organisation, body) in order. Written in bulk, with ids and revisions in order."""
    messages = []
    for revision, ((author, organisation, body), when) in enumerate(
        zip(lines, moments, strict=True), thread.revision + 1
    ):
        rendered = render_message(body, mentionable=mentionable)
        message = Message(
            thread=thread,
            author=author,
            organisation=organisation,
            body=body,
            html=rendered.html,
            created_at=when,
            revision=revision,
        )
        message.mentioned = rendered.mentioned
        messages.append(message)
    Message.objects.bulk_create(messages)
    Mention = Message.mentions.through
    Mention.objects.bulk_create(
        Mention(message_id=message.pk, user_id=person.pk) for message in messages for person in message.mentioned
    )
    thread.revision += len(messages)
    thread.message_count += len(messages)
    thread.last_message_at = messages[-1].created_at
    thread.save(update_fields=["revision", "message_count", "last_message_at"])


def _chatter(people: dict, count: int) -> list:
    """count messages of working chatter: the speakers take turns the way people do, and each
    goes through their own lines in a shuffled order before saying anything twice."""
    rng = random.Random(2026)
    pools = {"anna": ANNA, "erik": ERIK, "olle": OLLE}
    weights = {"anna": 5, "erik": 4, "olle": 2}
    queues = {name: [] for name in pools}
    lines, previous = [], None
    for _index in range(count):
        speakers = [name for name in pools if name != previous]
        speaker = rng.choices(speakers, weights=[weights[name] for name in speakers])[0]
        if not queues[speaker]:
            queues[speaker] = rng.sample(pools[speaker], len(pools[speaker]))
        line = queues[speaker].pop()
        opener = rng.choice(OPENERS) if not line.startswith(("@", ">", "Sammanfattning")) else ""
        user, organisation = people[speaker]
        lines.append((user, organisation, opener + line))
        previous = speaker
    return lines


@transaction.atomic
def load_threads_demo() -> None:
    group = BuyerGroup.objects.filter(slug=GROUP_SLUG).first()
    if group is None:
        return
    users = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=".demo.example")}
    organisations = {o.name: o for o in Organisation.objects.all()}
    people = {
        "anna": (users["anna"], organisations["Växjö kommun"]),
        "erik": (users["erik"], organisations["Lunds kommun"]),
        "olle": (users["olle"], organisations["Energimyndigheten"]),
        "sara": (users["sara"], organisations["Solvent Energi AB"]),
        "omar": (users["omar"], organisations["Nordlys Teknik AB"]),
    }
    group_people = [people[name][0] for name in ("anna", "erik", "olle")]
    now = timezone.localtime().replace(second=0, microsecond=0)  # office hours in Sweden

    big, _created = Thread.objects.get_or_create(
        kind=Thread.Kind.GROUP, group=group, title=BIG_THREAD_TITLE, defaults={"created_by": users["anna"]}
    )
    if big.message_count == 0:
        lines = _chatter(people, 300)
        moments = working_hours(now - timedelta(days=4), len(lines), step_minutes=37)
        _bulk_messages(big, lines, moments=moments, mentionable=group_people)
    small, _created = Thread.objects.get_or_create(
        kind=Thread.Kind.GROUP, group=group, title=SMALL_THREAD_TITLE, defaults={"created_by": users["erik"]}
    )
    if small.message_count == 0:
        lines = [
            (*people["erik"], "Vi visar vår nya eldrivna redskapsbärare och laddningen på depån. Vilka kommer?"),
            (*people["anna"], "Jag kommer, och tar med vår maskinansvarige."),
            (*people["olle"], "Jag kommer gärna som observatör om det går bra."),
        ]
        moments = working_hours(now - timedelta(days=3), len(lines), step_minutes=50)
        _bulk_messages(small, lines, moments=moments, mentionable=group_people)

    dialogue = Dialogue.objects.filter(group__slug=GROUP_SLUG, state="open").first()
    if dialogue is None:
        return
    everyone = [*group_people, people["sara"][0], people["omar"][0]]
    open_thread = get_or_create_dialogue_thread(dialogue=dialogue, user=users["anna"])
    if open_thread.message_count == 0:
        lines = [(*people[name], body) for name, body in DIALOGUE_MESSAGES]
        moments = working_hours(now - timedelta(days=2), len(lines), step_minutes=70)
        _bulk_messages(open_thread, lines, moments=moments, mentionable=everyone)
    solvent = organisations["Solvent Energi AB"]
    private = get_or_create_private_thread(dialogue=dialogue, supplier=solvent, user=users["sara"])
    if private.message_count == 0:
        lines = [(*people[name], body) for name, body in PRIVATE_MESSAGES]
        moments = working_hours(now - timedelta(days=1), len(lines), step_minutes=45)
        _bulk_messages(private, lines, moments=moments, mentionable=everyone)
