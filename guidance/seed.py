# ruff: noqa: E501 (each paragraph is one line: that is how the texts are stored and edited)
"""The guidance texts the platform starts with, written for it (issue 20): one per stage of the
stage plan, and five on ways of working and the rules. Facilitators edit them afterwards
(/guidance/<slug>/edit/); seeding again never overwrites an edited text.

`seed_guidance` is used by the data migration (with the historical model) and by tests whose
database was flushed by a transactional test. Bodies are plain text: a blank line starts a new
paragraph, a line starting with "- " is a list item (guidance/text.py)."""

from django.apps import apps

# (slug, topic, title_sv, title_en, body_sv, body_en). The stage slugs are "stage-" and the
# stage's code: the stage plan page builds them that way.
TEXTS = [
    (
        "stage-need_identification",
        "stages",
        "Behovsidentifiering",
        "Need identification",
        """Börja i verksamhetens behov, inte i en produkt. Beskriv vilket problem ni vill lösa, för vem och varför det är viktigt nu. Ett väl beskrivet behov gör det lättare för andra myndigheter att känna igen sig och gå med i gruppen, och för leverantörer att föreslå lösningar ni inte kände till.

Frågor att besvara:
- Vad fungerar inte i dag, och vad kostar det?
- Vilka användare och verksamheter berörs?
- Vilka mål, till exempel för klimat, arbetsmiljö eller tillgänglighet, ska lösningen bidra till?
- Vad vet ni ännu inte?

Skriv behovsbeskrivningen tillsammans i gruppen och låt den vara ett utkast tills alla medlemmar har kunnat tycka till. Undvik varumärken och färdiga lösningar redan här.""",
        """Start from what your organisation needs, not from a product. Describe the problem you want to solve, for whom, and why it matters now. A well described need makes it easier for other authorities to recognise it and join the group, and for suppliers to propose solutions you did not know of.

Questions to answer:
- What does not work today, and what does it cost?
- Which users and services are affected?
- Which goals, for example on climate, working environment or accessibility, should the solution serve?
- What do you not know yet?

Write the need statement together in the group and keep it a draft until every member has had a say. Avoid brand names and ready-made solutions from the start.""",
    ),
    (
        "stage-pre_study",
        "stages",
        "Förstudie och marknadsanalys",
        "Pre-study and market analysis",
        """I förstudien samlar gruppen kunskap innan krav och förfarande bestäms. Kartlägg nuläget, volymer och kostnader hos varje medlem, och ta reda på vad marknaden redan erbjuder.

Det kan till exempel handla om att:
- läsa på om befintliga lösningar, standarder och andra myndigheters upphandlingar
- skicka en skriftlig förfrågan om information (RFI) till leverantörer
- bedöma om behovet kräver en ny lösning, och i så fall om innovationsupphandling passar
- uppskatta upphandlingens samlade värde, som avgör vilka regler i LOU som gäller

Marknadsanalysen är en sådan marknadsundersökning som 4 kap. 2 § LOU tillåter: den får inte ge någon leverantör en fördel. Dokumentera vad ni gjort och vad ni lärt er, så att resultatet kan användas i nästa steg.""",
        """In the pre-study the group gathers knowledge before requirements and procedure are decided. Map the current situation, volumes and costs at each member, and find out what the market already offers.

This can mean, for example:
- reading up on existing solutions, standards and other authorities' procurements
- sending suppliers a written request for information (RFI)
- judging whether the need calls for a new solution, and if so whether innovation procurement fits
- estimating the total value of the procurement, which decides which rules of the Public Procurement Act (LOU) apply

The market analysis is a market consultation of the kind LOU chapter 4 section 2 allows: it must not give any supplier an advantage. Record what you did and what you learnt, so that the next stage can use it.""",
    ),
    (
        "stage-early_dialogue",
        "stages",
        "Tidig dialog",
        "Early dialogue",
        """I den tidiga dialogen möter gruppen leverantörer och andra aktörer innan upphandlingen annonseras. Syftet är att pröva behovet och kraven mot vad marknaden kan leverera, och att ge leverantörerna tid att förbereda sig.

Tänk på att:
- bjuda in öppet, så att alla intresserade leverantörer kan delta
- ge alla samma information och publicera frågor och svar
- fråga om funktion, risker och affärsmodeller, inte be om färdiga lösningar
- låta alla i gruppen deklarera eventuella intressekonflikter innan förslag öppnas
- dokumentera dialogen; anteckningar och inlämnat material kan bli allmänna handlingar

Använd det ni lär er för att justera behovsbeskrivningen och kraven. Läs också vägledningen om förberedande marknadsdialog och om jäv och intressekonflikter.""",
        """In the early dialogue the group meets suppliers and other actors before the procurement is advertised. The aim is to test the need and the requirements against what the market can deliver, and to give suppliers time to prepare.

Remember to:
- invite openly, so that every interested supplier can take part
- give everyone the same information and publish questions and answers
- ask about function, risks and business models rather than for ready-made solutions
- have everyone in the group declare any conflict of interest before proposals are opened
- record the dialogue; notes and material handed in can become official documents

Use what you learn to adjust the need statement and the requirements. Read the guidance on preliminary market consultation and on conflicts of interest too.""",
    ),
    (
        "stage-requirements",
        "stages",
        "Kravställning",
        "Requirements",
        """Här blir behovet till krav. Utgå från behovsbeskrivningen och det ni lärde er i dialogen, och formulera i första hand funktionskrav: vad lösningen ska åstadkomma, inte hur.

För varje krav:
- skilj på obligatoriska krav och önskemål som ger mervärde i utvärderingen
- motivera kravet, så att medlemmar och leverantörer förstår varför det finns
- bestäm hur det ska verifieras, i anbudet och under avtalstiden
- kontrollera att det inte i onödan stänger ute leverantörer, till exempel små företag

Kraven ska vara proportionerliga och ha koppling till det som upphandlas. Låt gärna en annan medlem granska kravlistan innan den används, och spara versionerna så att det går att se hur kraven har ändrats.""",
        """Here the need becomes requirements. Start from the need statement and what you learnt in the dialogue, and write functional requirements first: what the solution must achieve, not how.

For each requirement:
- tell mandatory requirements apart from wishes that add value in the evaluation
- give the reason, so that members and suppliers understand why it is there
- decide how it will be verified, in the tender and during the contract
- check that it does not shut suppliers out without need, small companies for example

Requirements must be proportionate and linked to what is being procured. Let another member review the list before it is used, and keep the versions so that everyone can see how the requirements changed.""",
    ),
    (
        "stage-procurement",
        "stages",
        "Upphandling",
        "Procurement",
        """Nu väljer gruppen upphandlingsförfarande och genomför upphandlingen, oftast i ett system för elektronisk upphandling. Plattformen håller reda på beslutet och annonsens referens, inte på själva anbuden.

Inför valet:
- Vilken myndighet upphandlar, eller ska ni göra en gemensam upphandling eller använda en inköpscentral?
- Räcker ett öppet förfarande, eller behövs förhandling, konkurrenspräglad dialog eller innovationspartnerskap?
- Ligger värdet över eller under tröskelvärdet?

Se till att relevant information från dialogen finns i upphandlingsdokumenten, så att alla anbudsgivare har samma underlag (4 kap. 4 § LOU). Under anbudstiden ska alla leverantörer behandlas lika: lämna samma upplysningar till alla och gör det skriftligt.""",
        """Now the group chooses a procurement procedure and runs the procurement, usually in an e-procurement system. The platform keeps the decision and the notice reference, not the tenders themselves.

Before choosing:
- Which authority procures, or will you procure jointly or use a central purchasing body?
- Is an open procedure enough, or do you need negotiation, competitive dialogue or an innovation partnership?
- Is the value above or below the threshold?

Make sure that relevant information from the dialogue is in the procurement documents, so that every tenderer has the same basis (LOU chapter 4 section 4). During the tender period every supplier must be treated equally: give everyone the same information, in writing.""",
    ),
    (
        "stage-follow_up",
        "stages",
        "Uppföljning",
        "Follow-up",
        """Uppföljningen visar om upphandlingen löste behovet. Följ upp både leverantörens åtaganden och effekterna i verksamheten.

- Kontrollera kraven på det sätt ni bestämde vid kravställningen.
- Håll dialog med leverantören under avtalstiden för att lösa problem och ta vara på förbättringar inom ramen för avtalet.
- Mät effekterna mot målen i behovsbeskrivningen, till exempel kostnad, klimat eller arbetsmiljö.
- Dela erfarenheterna med gruppen och med andra myndigheter, så att nästa upphandling blir bättre.

Ett kontrakt får bara ändras under avtalstiden i de fall som 17 kap. LOU tillåter. Skriv ner vad ni lärt er, även när resultatet inte blev som ni tänkt.""",
        """The follow-up shows whether the procurement met the need. Follow up both the supplier's commitments and the effects on your services.

- Check the requirements the way you decided when you wrote them.
- Keep a dialogue with the supplier during the contract to solve problems and take up improvements within the contract.
- Measure the effects against the goals in the need statement, for example cost, climate or working environment.
- Share the experience with the group and with other authorities, so that the next procurement is better.

A contract may be changed during its term only in the cases LOU chapter 17 allows. Write down what you learnt, also when the result was not what you expected.""",
    ),
    (
        "early-dialogue",
        "methods",
        "Tidig dialog med marknaden",
        "Early dialogue with the market",
        """Tidig dialog betyder att myndigheten talar med leverantörer, användare och andra aktörer innan kraven är låsta. Det är ett av de mest verkningsfulla sätten att få bättre anbud och fler anbudsgivare.

Dialogen kan ta många former: en skriftlig förfrågan om information, ett informationsmöte, enskilda möten med leverantörer eller en workshop. Välj form efter vad ni behöver veta.

Goda regler för dialogen:
- Annonsera dialogen öppet och ge alla samma möjlighet att delta.
- Ge alla samma information och publicera frågor och svar.
- Lova ingenting om den kommande upphandlingen.
- Be inte om lösningar som bara en leverantör kan erbjuda.
- Dokumentera vad som sades och vem som deltog.

Dialog före upphandlingen är tillåten och uppmuntras, så länge den inte snedvrider konkurrensen (4 kap. 2 § LOU).""",
        """Early dialogue means that the authority talks with suppliers, users and other actors before the requirements are fixed. It is one of the most effective ways to get better tenders and more tenderers.

The dialogue can take many forms: a written request for information, an information meeting, separate meetings with suppliers or a workshop. Choose the form after what you need to know.

Good rules for the dialogue:
- Announce the dialogue openly and give everyone the same chance to take part.
- Give everyone the same information and publish questions and answers.
- Promise nothing about the coming procurement.
- Do not ask for solutions only one supplier can offer.
- Record what was said and who took part.

Dialogue before a procurement is allowed and encouraged, as long as it does not distort competition (LOU chapter 4 section 2).""",
    ),
    (
        "functional-requirements",
        "methods",
        "Funktionskrav",
        "Functional requirements",
        """Ett funktionskrav beskriver vad som ska uppnås, alltså behovet och funktionen, och lämnar åt leverantören att föreslå hur. Det ger utrymme för nya lösningar och gör att fler leverantörer kan konkurrera. LOU tillåter att tekniska specifikationer formuleras som prestanda- eller funktionskrav (9 kap.).

Exempel: i stället för ”eldriven hjullastare med ett batteri på 300 kWh” skriver ni ”maskinen ska klara åtta timmars drift utan fossila bränslen och kunna laddas över natten”.

Ett bra funktionskrav:
- beskriver resultatet, inte tekniken
- går att verifiera, i anbudet eller under avtalstiden
- har en motivering som förklarar behovet bakom
- gäller lika för alla leverantörer och nämner inga varumärken

Detaljerade tekniska krav behövs ibland, till exempel för att passa befintliga system. Använd dem då medvetet och motivera dem.""",
        """A functional requirement describes what must be achieved, the need and the function, and leaves it to the supplier to propose how. It leaves room for new solutions and lets more suppliers compete. LOU allows technical specifications to be written as performance or functional requirements (chapter 9).

Example: instead of "electric wheel loader with a 300 kWh battery", write "the machine must run for eight hours without fossil fuels and be charged overnight".

A good functional requirement:
- describes the result, not the technology
- can be verified, in the tender or during the contract
- has a reason that explains the need behind it
- applies equally to every supplier and names no brands

Detailed technical requirements are sometimes needed, for example to fit existing systems. Then use them deliberately and give the reason.""",
    ),
    (
        "innovation-procurement",
        "methods",
        "Innovationsupphandling",
        "Innovation procurement",
        """Innovationsupphandling är när en myndighet upphandlar en lösning som är ny för myndigheten eller för marknaden, eller öppnar för att leverantörerna föreslår nya lösningar. Det går att göra inom de vanliga förfarandena, med funktionskrav och tidig dialog, men det finns också särskilda vägar:

- Innovationspartnerskap (6 kap. LOU): myndigheten upphandlar både utvecklingen av en lösning som inte finns på marknaden och köpet av den färdiga lösningen, i faser med delmål, med en eller flera partner.
- Förkommersiell upphandling: myndigheten köper forsknings- och utvecklingstjänster i konkurrens, ofta från flera leverantörer parallellt, men inte den färdiga produkten. Den omfattas inte av LOU genom undantaget för forsknings- och utvecklingstjänster, som gäller när myndigheten inte både får all nytta av resultaten och betalar hela tjänsten själv.
- Konkurrenspräglad dialog och förhandlat förfarande passar när lösningen behöver formas tillsammans med leverantörerna.

Välj väg efter hur ny lösningen behöver vara och hur mycket risk gruppen kan bära.""",
        """Innovation procurement is when an authority procures a solution that is new to the authority or to the market, or opens the door for suppliers to propose new solutions. It can be done within the ordinary procedures, with functional requirements and early dialogue, but there are also special routes:

- Innovation partnership (LOU chapter 6): the authority procures both the development of a solution not available on the market and the purchase of the finished solution, in phases with milestones, with one or more partners.
- Pre-commercial procurement: the authority buys research and development services in competition, often from several suppliers in parallel, but not the finished product. It falls outside LOU through the exemption for research and development services, which applies when the authority does not both reap all the benefits and pay for the whole service itself.
- Competitive dialogue and the competitive procedure with negotiation fit when the solution has to be shaped together with suppliers.

Choose the route by how new the solution must be and how much risk the group can carry.""",
    ),
    (
        "market-consultation",
        "rules",
        "Förberedande marknadsdialog enligt LOU",
        "Preliminary market consultation under LOU",
        """LOU ger uttryckligen stöd för att tala med marknaden före en upphandling. Enligt 4 kap. 2 § får en upphandlande myndighet genomföra marknadsundersökningar för att förbereda upphandlingen och informera leverantörer om sina planer och krav. Myndigheten får ta del av råd från oberoende experter, myndigheter eller leverantörer och använda dem när upphandlingen planeras och genomförs.

Villkoret är att det inte snedvrider konkurrensen och att principerna om icke-diskriminering och öppenhet följs. I praktiken:
- ge alla intresserade leverantörer samma möjlighet att delta och samma information
- låt ingen leverantör skriva kraven eller få tidigare eller mer information än andra
- dokumentera dialogen och för in relevant information i upphandlingsdokumenten
- ge skälig tid för anbud, så att den som inte deltog i dialogen hinner ikapp

Har en leverantör varit med och förberett upphandlingen gäller dessutom 4 kap. 4 §, se vägledningen om jäv och intressekonflikter.""",
        """The Public Procurement Act (LOU) expressly supports talking with the market before a procurement. Under chapter 4 section 2 a contracting authority may conduct market consultations to prepare the procurement and to inform suppliers of its plans and requirements. It may seek advice from independent experts, authorities or suppliers and use that advice when planning and conducting the procurement.

The condition is that this does not distort competition and that the principles of non-discrimination and transparency are respected. In practice:
- give every interested supplier the same chance to take part and the same information
- let no supplier write the requirements or get information earlier or in more detail than others
- record the dialogue and put relevant information into the procurement documents
- allow reasonable time for tenders, so that those who were not in the dialogue can catch up

When a supplier took part in preparing the procurement, chapter 4 section 4 applies as well: see the guidance on conflicts of interest.""",
    ),
    (
        "conflicts-of-interest",
        "rules",
        "Jäv och intressekonflikter",
        "Conflicts of interest",
        """Den som deltar i en upphandling eller kan påverka resultatet får inte ha intressen som kan rubba förtroendet för hens opartiskhet. Enligt 4 kap. 3 § LOU ska myndigheten vidta lämpliga åtgärder för att förebygga, identifiera och avhjälpa intressekonflikter, så att konkurrensen inte snedvrids och alla leverantörer behandlas lika. Intresset kan vara ekonomiskt, personligt eller av annat slag, till exempel en närstående hos en leverantör, aktieinnehav eller en tidigare anställning. Förvaltningslagens och kommunallagens jävsregler gäller också.

Därför deklarerar alla i gruppen, för varje dialog, om de har en intressekonflikt. Den som har en öppnar inga förslag förrän någon annan har prövat saken.

Om en leverantör har gett råd eller på annat sätt varit med och förberett upphandlingen ska myndigheten enligt 4 kap. 4 § se till att konkurrensen inte snedvrids, bland annat genom att dela relevant information med övriga anbudsgivare och sätta skäliga tidsfrister för anbud. Att utesluta leverantören är en sista utväg.""",
        """Anyone who takes part in a procurement or can influence its outcome must not have interests that could call their impartiality into question. Under LOU chapter 4 section 3 the authority must take appropriate measures to prevent, identify and remedy conflicts of interest, so that competition is not distorted and all suppliers are treated equally. The interest can be financial, personal or of another kind, for example a close relative at a supplier, shares or a former employment. The disqualification rules of the Administrative Procedure Act and the Local Government Act apply too.

That is why everyone in the group declares, for each dialogue, whether they have a conflict of interest. Someone who has one opens no proposals until someone else has considered the matter.

When a supplier gave advice or otherwise took part in preparing the procurement, the authority must under chapter 4 section 4 make sure that competition is not distorted, among other things by sharing relevant information with the other tenderers and setting reasonable time limits for tenders. Excluding the supplier is a last resort.""",
    ),
]


def seed_guidance(model=None) -> int:
    """Create the texts that are missing (by slug); texts that exist, edited or not, are left
    as they are. `model` is the migration's historical model; the app's own by default. Returns
    how many were created."""
    model = model or apps.get_model("guidance", "GuidanceText")
    created = 0
    for position, (slug, topic, title_sv, title_en, body_sv, body_en) in enumerate(TEXTS, start=1):
        _text, was_created = model.objects.get_or_create(
            slug=slug,
            defaults={
                "topic": topic,
                "position": position,
                "title_sv": title_sv,
                "title_en": title_en,
                "body_sv": body_sv,
                "body_en": body_en,
            },
        )
        created += was_created
    return created
