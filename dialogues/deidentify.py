"""Does a text about to go to every participant (or the public) identify a supplier?

PRODUCT.md §2.4 "Fair by construction": every text that goes to all participants or the
public is checked against every participating supplier's identifying words before it is
published. `identifying_matches` finds them; dialogues/services/shared.py: `guard_identity` holds a
text back on a match unless the group overrides with a reason (which goes to the audit log).

What identifies an organisation that takes or took part in the dialogue (or asked in it):
- each distinctive word of its name, and the name as a whole. Legal forms and generic words
  ("AB", "Sverige", "Energi", "Teknik"…) are not distinctive, nor is a word the dialogue itself
  uses (its title, purpose and published need), or the check would block every text;
- its short names and trademarks (`Organisation.short_names`, one per line);
- its people: full name, and the surname alone unless it is very common;
- their e-mail addresses, its e-mail domains (registered, and those of its people's addresses
  unless a free mail service) and its web domain;
- its organisation number and phone number, written in any of the usual ways.

Words are compared case-, diacritic- and inflection-insensitively ("Solvents", "solvent's",
"SOLVENT", "Solventen"): a whole word, optionally followed by one of a bounded list of
Swedish and English endings, never part of an unrelated longer word.

Two queries per check (organisations with their domains; their people and askers); a third
only when a name word or surname matched, to read the dialogue's own wording.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.forms import PUBLIC_MAIL_DOMAINS  # addresses there say nothing about the organisation
from accounts.models import Organisation, OrganisationMember
from dialogues.models import Participation, Question
from groups.models import NeedStatement

NAME = "name"
SHORT_NAME = "short_name"
PERSON = "person"
EMAIL = "email"
EMAIL_DOMAIN = "email_domain"
WEB_DOMAIN = "web_domain"
ORGANISATION_NUMBER = "organisation_number"
PHONE = "phone"


def describe(kind: str) -> str:
    """What kind of identifier a match is, in the active language."""
    return {
        NAME: _("a participating supplier's name"),
        SHORT_NAME: _("a participating supplier's short name or trademark"),
        PERSON: _("a person at a participating supplier"),
        EMAIL: _("an e-mail address of a person at a participating supplier"),
        EMAIL_DOMAIN: _("an e-mail domain"),
        WEB_DOMAIN: _("a participating supplier's web domain"),
        ORGANISATION_NUMBER: _("an organisation number"),
        PHONE: _("a phone number"),
    }[kind]


@dataclass(frozen=True)
class Match:
    """One thing in the text that identifies a supplier: `found` is what the text says, `what`
    what kind of identifier it is, `organisation` whose (only the group sees the warning)."""

    found: str
    what: str
    organisation: str = ""
    kind: str = ""


# Written folded (lower case, no diacritics). Legal forms, and words so common in company names
# that they identify nobody.
GENERIC_WORDS = frozenset(
    """
    ab abp ag as asa aps bv co corp corporation company gmbh hb inc kb llc ltd limited nv oy oyj plc publ sa
    aktiebolag aktiebolaget aktiebolagets handelsbolag handelsbolaget kommanditbolag kommanditbolaget
    ekonomisk ekonomiska forening foreningen ek for ef enskild firma stiftelse stiftelsen ideell
    sverige svenska svensk svenskt sweden swedish nordic nordics norden nordiska nordisk nordens scandinavia
    scandinavian skandinavien skandinaviska europe europa european international internationella global
    group gruppen grupp koncern koncernen holding holdings invest partner partners
    energi energy teknik tech technology technologies teknologi system systems systemet service services
    tjanst tjanster konsult konsulter consulting consultants consult solutions solution losningar
    bygg byggnad bygger construction data it ikt ict media design management fastigheter fastighet
    industri industrier industries industrial produkter products product maskin maskiner machines
    handel trading logistik logistics transport transporter miljo environment environmental el elektro
    electric vvs entreprenad entreprenader foretag verkstad verkstader fordon vehicles batteri batterier
    kraft power sol solar vind wind vatten water green gron innovation innovations labs lab studio
    och and the of i pa for med av till en ett den det de la von van der
    stockholm stockholms goteborg goteborgs malmo uppsala vasteras orebro linkoping helsingborg jonkoping
    norrkoping lund umea gavle boras sodertalje eskilstuna halmstad vaxjo karlstad sundsvall lulea ostersund
    norr syd vast ost norra sodra vastra ostra skane smaland norrland
    """.split()
)

LEGAL_FORMS = frozenset(
    """
    ab abp publ hb kb ek for ef aktiebolag handelsbolag kommanditbolag ekonomisk forening ltd limited inc llc
    gmbh ag oy oyj as asa aps plc bv nv sa
    """.split()
)

# The most common Swedish surnames: alone they point at nobody in particular (the full name
# still matches).
COMMON_SURNAMES = frozenset(
    """
    andersson johansson karlsson nilsson eriksson larsson olsson persson svensson gustafsson pettersson
    jonsson jansson hansson bengtsson lindberg jakobsson magnusson lindstrom olofsson lindqvist lindgren
    berg axelsson bergstrom lundberg lind lundgren lundqvist mattsson berglund fredriksson sandberg
    henriksson forsberg sjoberg wallin ali engstrom mohammed mohamed eklund danielsson lundin hakansson
    bjork bergman gunnarsson holm wikstrom samuelsson isaksson fransson bergqvist nystrom holmberg
    arvidsson lofgren soderberg nyberg blomqvist claesson nordstrom martensson lundstrom ahmed hassan
    """.split()
)

# Swedish and English endings a name may take in running text: genitive, definite forms,
# plurals ("Solvents", "Solventen", "Solventarna"). Longest first, so a regex tries them first.
SUFFIXES = tuple(
    sorted(
        "s es n en ens et ets t ts na nas ar arna arnas er erna ernas or orna ornas e a ns ers".split(),
        key=len,
        reverse=True,
    )
)
_LONG_SUFFIX = "(?:['’:]?(?:" + "|".join(SUFFIXES) + "))?"
_SHORT_SUFFIX = "(?:['’:]?s)?"  # "ABB:s", "SVT's": short names take only the genitive
_WORD = re.compile(r"[^\W_]+")
_BEFORE_WORD = r"(?<![^\W_])"
_AFTER_WORD = r"(?![^\W_])"
_BETWEEN_WORDS = r"[\W_]{1,3}"


_DROPPED = str.maketrans("", "", "™®©℠")  # NFKD would make "VoltPack™" "voltpacktm"
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case without diacritics: "Växjö" → "vaxjo"."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_DROPPED).casefold()))


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """fold(text), and for each of its characters the index of the original one (so a match
    can be shown as the text wrote it). Slower: only for texts where something matched."""
    folded, positions = [], []
    for index, char in enumerate(text):
        piece = fold(char)
        folded.append(piece)
        positions += [index] * len(piece)
    return "".join(folded), positions


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@dataclass(frozen=True)
class _Candidate:
    kind: str
    organisation: str
    source: str  # the regular expression, compiled only when the needle is in the text
    needle: str = ""  # a folded string that must occur in the text for the pattern to match
    digits: str = ""  # digits that must occur in the text's digits, separators left out
    word: str = ""  # a single name word or surname: not distinctive if the dialogue uses it

    @property
    def pattern(self) -> re.Pattern:
        return _compiled(self.source)


@functools.lru_cache(maxsize=4096)
def _compiled(source: str) -> re.Pattern:
    return re.compile(source)


def _phrase(tokens: list[str], *, kind: str, organisation: str, word: str = "") -> _Candidate:
    suffix = _LONG_SUFFIX if len(tokens[-1]) >= 4 else _SHORT_SUFFIX
    body = _BETWEEN_WORDS.join(re.escape(token) for token in tokens)
    return _Candidate(
        kind=kind,
        organisation=organisation,
        source=_BEFORE_WORD + body + suffix + _AFTER_WORD,
        needle=max(tokens, key=len),
        word=word,
    )


def _domain(domain: str, *, kind: str, organisation: str) -> _Candidate:
    # Also inside an address or a longer host name ("sara@solvent.se", "www.solvent.se").
    return _Candidate(
        kind=kind,
        organisation=organisation,
        source=r"(?<![\w-])" + re.escape(domain) + r"(?![\w-]|\.\w)",
        needle=domain,
    )


def _digits(digits: str, *, prefix: str, kind: str, organisation: str, tail: str = "") -> _Candidate:
    separator = r"[\s\-–.()/]{0,2}"
    return _Candidate(
        kind=kind,
        organisation=organisation,
        source=r"(?<![\d+])" + prefix + separator.join(digits) + tail + r"(?!\d)",
        digits=digits,
    )


def _is_distinctive(token: str) -> bool:
    return len(token) >= 3 and not token.isdigit() and token not in GENERIC_WORDS


def _web_host(website: str) -> str:
    host = (urlsplit(website if "//" in website else f"//{website}").hostname or "").lower()
    return host.removeprefix("www.")


def _organisation_candidates(organisation: dict, domains: set[str], people: set[tuple[str, str]]) -> list:
    name = organisation["name"]
    candidates = []
    name_tokens = words(name)
    # The name as a whole without its legal form ("solvent energi", "hjullastare norr"), then
    # each distinctive word of it alone.
    whole = list(name_tokens)
    while len(whole) > 1 and whole[-1] in LEGAL_FORMS:
        whole.pop()
    if len(whole) >= 2:
        candidates.append(_phrase(whole, kind=NAME, organisation=name))
    if len(name_tokens) > max(len(whole), 1):
        candidates.append(_phrase(name_tokens, kind=NAME, organisation=name))  # with the legal form
    for token in dict.fromkeys(name_tokens):
        if _is_distinctive(token):
            candidates.append(_phrase([token], kind=NAME, organisation=name, word=token))

    for line in organisation["short_names"].splitlines():
        tokens = words(line)
        if len("".join(tokens)) >= 2 and not all(token in GENERIC_WORDS for token in tokens):
            candidates.append(_phrase(tokens, kind=SHORT_NAME, organisation=name))

    domains = set(domains)
    for person_name, email in people:
        tokens = words(person_name or "")
        if len(tokens) >= 2:
            candidates.append(_phrase(tokens, kind=PERSON, organisation=name))
            surname = tokens[-1]
            if _is_distinctive(surname) and len(surname) >= 4 and surname not in COMMON_SURNAMES:
                candidates.append(_phrase([surname], kind=PERSON, organisation=name, word=surname))
        email = (email or "").strip().lower()
        if "@" in email:
            candidates.append(_domain(email, kind=EMAIL, organisation=name))
            domain = email.rsplit("@", 1)[1]
            if domain not in PUBLIC_MAIL_DOMAINS:
                domains.add(domain)
    for domain in sorted(domains):
        candidates.append(_domain(domain, kind=EMAIL_DOMAIN, organisation=name))
    host = _web_host(organisation["website"] or "")
    if host and host not in domains and "." in host:
        candidates.append(_domain(host, kind=WEB_DOMAIN, organisation=name))
    # The domain's own name ("nordlysenergi" in nordlysenergi.se), when it is not a name word.
    for domain in sorted(domains | ({host} if host else set())):
        label = domain.rsplit(".", 2)[-2] if domain.count(".") >= 1 else ""
        if label.isalnum() and len(label) >= 4 and _is_distinctive(label) and label not in name_tokens:
            kind = WEB_DOMAIN if domain == host else EMAIL_DOMAIN
            candidates.append(_phrase([label], kind=kind, organisation=name, word=label))

    number = re.sub(r"\D", "", organisation["organisation_number"] or "")
    if len(number) == 10:
        # 556123-4567, 5561234567, 556123 4567, 16556123-4567, SE556123456701 (VAT number)
        candidates.append(
            _digits(number, prefix="(?:16)?", tail="(?:01)?", kind=ORGANISATION_NUMBER, organisation=name)
        )
    phone = re.sub(r"\D", "", organisation["phone"] or "")
    if phone.startswith("0046"):
        phone = phone[4:]
    elif organisation["phone"].strip().startswith("+46"):
        phone = phone[2:]
    phone = phone.removeprefix("0")
    if len(phone) >= 6:
        # 08-123 456 78, 08 12345678, +46 8 123 456 78, +46 (0)8-123 456 78, 0046 8 123 45 678
        prefix = r"(?:(?:\+|00)\s?46\s?(?:\(0\)\s?)?|\(?0)"
        candidates.append(_digits(phone, prefix=prefix, kind=PHONE, organisation=name))
    return candidates


def _candidates(dialogue) -> list[_Candidate]:
    """Everything that identifies an organisation taking or having taken part, or having asked."""
    taking_part = Participation.objects.filter(dialogue=dialogue).values("organisation_id")
    asking = Question.objects.filter(dialogue=dialogue).values("organisation_id")
    organisations, domains = {}, {}
    rows = (
        Organisation.objects.filter(Q(pk__in=taking_part) | Q(pk__in=asking))
        .values("pk", "name", "short_names", "website", "phone", "organisation_number", "domains__domain")
        .order_by("name", "pk")
    )
    for row in rows:
        organisations.setdefault(row["pk"], row)
        domain = (row["domains__domain"] or "").strip().lower()
        domains.setdefault(row["pk"], set()).update({domain} if domain else set())
    if not organisations:
        return []
    people = {pk: set() for pk in organisations}
    staff = (
        OrganisationMember.objects.filter(organisation_id__in=organisations)
        .values_list("organisation_id", "user__name", "user__email")
        .order_by()
    )
    askers = (
        Question.objects.filter(dialogue=dialogue, asked_by__isnull=False)
        .values_list("organisation_id", "asked_by__name", "asked_by__email")
        .order_by()
    )
    for organisation_pk, person_name, email in staff.union(askers).order_by():
        people[organisation_pk].add((person_name, email))
    candidates = []
    for pk, organisation in organisations.items():
        candidates += _organisation_candidates(organisation, domains[pk], people[pk])
    return candidates


def _dialogue_words(dialogue) -> set[str]:
    """The words the dialogue itself uses: its title and purpose and its published need."""
    texts = [dialogue.title, dialogue.purpose]
    need = (
        NeedStatement.objects.filter(pk=dialogue.need_id)
        .values(
            "published_version__title",
            "published_version__background",
            "published_version__challenge",
            "published_version__market_questions",
            "published_version__requirements",
        )
        .first()
    )
    if need:
        requirements = need.pop("published_version__requirements") or []
        texts += [value or "" for value in need.values()]
        texts += [str(requirement.get("text", "")) for requirement in requirements if isinstance(requirement, dict)]
    return set(words("\n".join(texts)))


def _used_by_dialogue(word: str, dialogue_words: set[str]) -> bool:
    return word in dialogue_words or any(word + suffix in dialogue_words for suffix in SUFFIXES)


def identifying_matches(dialogue, *texts: str) -> list[Match]:
    """What in `texts` identifies any organisation that takes or took part in the dialogue (or
    asked in it), or any of their people. Each thing found once, in the order of the texts."""
    texts = [text for text in texts if text and text.strip()]
    if not texts:
        return []
    candidates = _candidates(dialogue)
    found = []  # (text, start, end, candidate)
    for text in texts:
        folded = fold(text)
        digits = re.sub(r"\D", "", folded)
        spans = []
        for candidate in candidates:
            if (candidate.needle and candidate.needle not in folded) or (
                candidate.digits and candidate.digits not in digits
            ):
                continue
            spans += [(m.start(), m.end(), candidate) for m in candidate.pattern.finditer(folded)]
        if not spans:
            continue
        if any(ord(char) > 127 for char in text):
            # Show what matched as the text wrote it: find it again in a fold that knows where
            # each character came from (slower, so only here).
            folded, positions = _fold_with_positions(text)
            matched = dict.fromkeys(candidate for _start, _end, candidate in spans)
            spans = [(m.start(), m.end(), c) for c in matched for m in c.pattern.finditer(folded)]
        else:
            positions = range(len(text))
        # The longest match wins where they overlap ("Solvent Energi" over "Solvent").
        spans.sort(key=lambda span: (span[0], span[0] - span[1]))
        end_so_far = -1
        for start, end, candidate in spans:
            if start >= end_so_far:
                found.append((text, positions[start], positions[end - 1] + 1, candidate))
                end_so_far = end
    dialogue_words = None
    matches, seen = [], set()
    for text, start, end, candidate in found:
        if candidate.word:
            if dialogue_words is None:
                dialogue_words = _dialogue_words(dialogue)
            if _used_by_dialogue(candidate.word, dialogue_words):
                continue
        match = Match(
            found=text[start:end],
            what=describe(candidate.kind),
            organisation=candidate.organisation,
            kind=candidate.kind,
        )
        key = (fold(match.found), match.kind, match.organisation)
        if key not in seen:
            seen.add(key)
            matches.append(match)
    return matches
