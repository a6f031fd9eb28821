"""Swedish words for the search (search/services.py): stems, typos and compounds, in Python.

Stems come from the Snowball Swedish stemmer, the one PostgreSQL's `swedish` configuration
uses too, so that both modes reduce "upphandlingar", "upphandlingen" and "upphandling" to the
same stem. What a stemmer cannot do is done here with small rules: a word one typo away from
a word of the text (`is_close`), and the last part of a compound ("arbetsmaskinerna" →
"maskinerna", `compound_tails`), since a Swedish compound is a kind of its last part.
"""

import re
from functools import lru_cache

import snowballstemmer

MIN_TYPO_LENGTH = 4  # shorter words have too many neighbours one typo away ("el", "en", "ek")
MIN_PART_LENGTH = 5  # the last part of a compound, as typed
MAX_ENDING = 7  # letters a Swedish ending adds to a stem ("heterna")
MIN_HEAD_LENGTH = 2  # what comes before it ("el" in "elhjullastare")

_stemmer = snowballstemmer.stemmer("swedish")
WORD = re.compile(r"\w+")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.casefold())


def words(text: str) -> list[str]:
    """The words of a text, case-folded, without numbers."""
    return [word for word in WORD.findall(text.casefold()) if not word.isdigit()]


def within_one_edit(first: str, second: str) -> bool:
    """True when one letter added, removed or changed turns one into the other (or they are equal)."""
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) > len(second):
        first, second = second, first
    start = 0
    while start < len(first) and first[start] == second[start]:
        start += 1
    if len(first) == len(second):
        return first[start + 1 :] == second[start + 1 :]
    return first[start:] == second[start + 1 :]


def is_close(typed: str, word: str) -> bool:
    """Whether `word` (from a text) is what `typed` (a search word) meant, one typo away: as
    written ("hjullastre", "hjullastare") or as stems ("upphandlng", "upphandlingar")."""
    typed, word = typed.casefold(), word.casefold()
    if typed == word or min(len(typed), len(word)) < MIN_TYPO_LENGTH or abs(len(typed) - len(word)) > MAX_ENDING:
        return False
    return within_one_edit(typed, word) or within_one_edit(stem(typed), stem(word))


def compound_tails(typed: str) -> list[str]:
    """The ways `typed` may end in another word, longest first: "arbetsmaskinerna" gives
    "smaskinerna", "maskinerna", "askinerna"… Which of them are words the search decides (a
    tail that is no word finds nothing)."""
    typed = typed.casefold()
    return [
        typed[split:]
        for split in range(MIN_HEAD_LENGTH, len(typed) - MIN_PART_LENGTH + 1)
        if len(stem(typed[split:])) >= MIN_PART_LENGTH
    ]


def typo_windows(typed: str) -> tuple[str, str]:
    """Two halves of the word: one typo leaves one of them as it is, so a text with a word one
    typo away from `typed` contains one of the halves."""
    typed = typed.casefold()
    half = len(typed) // 2
    return typed[:half], typed[half:]
