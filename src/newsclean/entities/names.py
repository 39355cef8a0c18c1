"""Name keys: the forms in which two spellings of a name are compared.

Each key is a small function built on the data in ``data/names.yaml``:

* :func:`fold`: case, diacritics, apostrophes and dashes;
* :func:`name_tokens`: the words of a name without titles, suffixes, possessives and
  Arabic articles, with connectors (bin/ibn, abu/abou, abd/abdel) written one way;
* :func:`name_key`: those words joined;
* :func:`spelling`: a word with transliteration alternations folded (dh/z, kh/k, q/k,
  ou/u, y/i, doubled letters);
* :func:`spelling_key`: the spelling of every word, joined;
* :func:`skeleton`: a word's consonants, for finding candidates cheaply.

>>> name_key("Prime Minister Mustafa Al-Kadhimi's")
'mustafa kadhimi'
>>> spelling_key("Mahmoud Abbas") == spelling_key("Mahmud Abbas")
True
>>> spelling_key("Kazimi"), spelling_key("Kadhimi")
('kazimi', 'kazimi')
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Optional

import regex
import yaml

_WORD = regex.compile(r"[\p{L}\p{N}]+")
#: a word, and the hyphen that joins it to the next one if there is one
_WORD_LEANING = regex.compile(r"([\p{L}\p{N}]+)(-?)")
_POSSESSIVE = regex.compile(r"(?<=\w)(?:'s|(?<=s)')(?!\w)")
_APOSTROPHE = regex.compile(r"'")
_DOUBLED = regex.compile(r"(.)\1+")
_VOWELS = regex.compile(r"[aeiouw]")



@dataclass(frozen=True)
class NameData:
    #: titles by their first word, longest first
    titles: dict[str, tuple[tuple[str, ...], ...]]
    suffixes: frozenset[str]
    articles: frozenset[str]
    #: lower-case words a name may begin with as written: particles, articles, connectors
    particles: frozenset[str]
    connectors: dict[str, str]
    spelling: tuple[tuple[str, str], ...]
    acronym_skip: frozenset[str]
    #: str.translate table of the characters folded before comparing
    letters: dict[int, str]
    legal_forms: frozenset[str]
    #: legal forms written out or in another language, by their first word: each phrase
    #: (longest first) with the legal form it stands for ("aktsionernoe obshchestvo": jsc)
    legal_phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    #: legal forms that are legal forms before a name too ("JSC Genbank", "OOO X")
    leading_legal_forms: frozenset[str]
    #: the Persian ezafe after a hyphen and before another word ("Bank-e Iran"): dropped
    ezafe: regex.Pattern[str]
    #: honorifics that may begin a name ("Seyed"): cheap to leave unpaired there
    honorifics: frozenset[str]
    #: given names often left out before the one a person goes by (Mohammad, Jose),
    #: as the group or connector form of each
    leading_given_names: frozenset[str]
    patronymic_endings: tuple[str, ...]
    #: number words and digits, each to its first form
    numbers: dict[str, str]
    #: the spelling of a given name or of an organisation word to its group's first form
    word_groups: dict[str, str]
    #: the groups of organisation words (not given names): blocked by their group
    translated: frozenset[str]
    #: str.translate table of the sound key: consonant classes, silent letters deleted
    sounds: dict[int, Optional[str]]
    #: the letters the sound key drops (vowels, and h and y, which often stand for them)
    silent: frozenset[str]
    #: every way of writing a connector with its first form, longest first ("abdoul",
    #: "abd"): a name may begin with one written into it ("Abdulkarim")
    connector_spellings: tuple[tuple[str, str], ...]
    #: connectors that an unknown name's cluster key joins to the name after them
    joined_connectors: frozenset[str]
    #: Arabic articles a name may have written into its first letters ("Alotaibi")
    joined_articles: tuple[str, ...]
    #: words that only link the parts of an organisation's name, besides the "of" group
    linking_words: frozenset[str]
    #: alternations of Korean romanisations, for a word of one syllable, in order
    syllable_folds: tuple[tuple[str, str], ...]
    #: the words that :func:`name_tokens` drops or rewrites after the titles: suffixes,
    #: articles, connectors and the first words of legal phrases
    marked: frozenset[str]


@lru_cache(maxsize=1)
def name_data() -> NameData:
    """The parsed ``data/names.yaml`` (read once; it never changes while running)."""
    text = (resources.files("newsclean") / "data" / "names.yaml").read_text("utf-8")
    raw: Any = yaml.safe_load(text)
    connectors = {form: forms[0] for forms in raw["connectors"] for form in forms}
    spelling_rules = tuple((a, b) for a, b in raw["spelling"])
    legal_phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for forms in raw["legal_phrases"]:
        for phrase in forms[1:]:
            words = tuple(str(phrase).split())
            legal_phrases.setdefault(words[0], []).append((words, str(forms[0])))
    titles: dict[str, list[tuple[str, ...]]] = {}
    for title in sorted((tuple(t.split()) for t in raw["titles"]), key=len, reverse=True):
        titles.setdefault(title[0], []).append(title)
    return NameData(
        titles={first: tuple(forms) for first, forms in titles.items()},
        suffixes=frozenset(raw["suffixes"]),
        articles=frozenset(raw["articles"]),
        particles=frozenset((*raw["particles"], *raw["articles"], *connectors)),
        connectors=connectors,
        spelling=spelling_rules,
        acronym_skip=frozenset(raw["acronym_skip"]),
        letters=str.maketrans(raw["letters"]),
        legal_forms=frozenset(raw["legal_forms"]),
        legal_phrases={first: tuple(sorted(found, key=lambda pf: -len(pf[0])))
                       for first, found in legal_phrases.items()},
        leading_legal_forms=frozenset(raw["leading_legal_forms"]),
        honorifics=frozenset(raw["honorifics"]),
        ezafe=regex.compile(r"(?<=\p{L}\p{L})-(?:" + "|".join(map(regex.escape, raw["ezafe"]))
                            + r")(?=[\s-]+[\p{L}\p{N}])"),
        leading_given_names=frozenset(raw["leading_given_names"]),
        patronymic_endings=tuple(raw["patronymic_endings"]),
        numbers={str(form): str(forms[0]) for forms in raw["numbers"] for form in forms},
        word_groups={_spelled(str(form), spelling_rules): str(forms[0])
                     for forms in (*raw["given_names"], *raw["translations"]) for form in forms},
        translated=frozenset(str(forms[0]) for forms in raw["translations"]),
        sounds=str.maketrans({**{str(k): str(v) for k, v in raw["sounds"].items()},
                              **{str(letter): None for letter in raw["silent"]}}),
        silent=frozenset(str(letter) for letter in raw["silent"]),
        connector_spellings=tuple(sorted(connectors.items(), key=lambda vf: -len(vf[0]))),
        joined_connectors=frozenset(raw["joined_connectors"]),
        joined_articles=tuple(raw["joined_articles"]),
        linking_words=frozenset(raw["linking_words"]),
        syllable_folds=tuple((a, b) for a, b in raw["syllable_folds"]),
        marked=frozenset((*raw["suffixes"], *raw["articles"], *connectors, *legal_phrases)),
    )


def fold(text: str) -> str:
    """Case-fold, remove diacritics, write apostrophes and dashes one way.

    >>> fold("Kılıçdaroğlu – Erdoğan’s")
    "kilicdaroglu - erdogan's"
    """
    text = text.casefold().translate(name_data().letters)
    if text.isascii():
        return text  # nothing to decompose (most names: this is the fast way)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def name_tokens(text: str) -> tuple[str, ...]:
    """The words that identify a name, folded.

    >>> name_tokens("US President Joseph R. Biden Jr.")
    ('joseph', 'r', 'biden')
    >>> name_tokens("Al Gore"), name_tokens("Ayman al-Zawahiri")
    (('al', 'gore'), ('ayman', 'zawahiri'))
    >>> name_tokens("Abdel Fattah el-Sisi")
    ('abd', 'fattah', 'sisi')
    >>> name_tokens("Aktsionernoe Obshchestvo Genbank"), name_tokens("Evro Polis, OOO")
    (('jsc', 'genbank'), ('evro', 'polis', 'ooo'))
    """
    return tokens_of(text)


def tokens_of(text: str) -> tuple[str, ...]:
    """:func:`name_tokens` without its cache, for names seen once (an alias table's)."""
    data = name_data()
    folded = fold(text)
    if "'" in folded:
        folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", folded))
    if "-" in folded:
        folded = data.ezafe.sub("", folded)
    words = _WORD.findall(folded)
    if not words or (words[0] not in data.titles and data.marked.isdisjoint(words)):
        return tuple(words)  # most names: nothing to take off or write another way
    if "-" in folded:
        found = _WORD_LEANING.findall(folded)
        # the word is joined to the next one by a hyphen
        leaning = [hyphen == "-" for _, hyphen in found]
    else:
        leaning = [False] * len(words)
    start = leading_titles(words) if words and words[0] in data.titles else 0
    if start:
        words, leaning = words[start:], leaning[start:]
    while len(words) > 1 and words[-1] in data.suffixes:
        words.pop()
        leaning.pop()
    tokens = []
    for i, word in enumerate(words):
        is_article = word in data.articles and i + 1 < len(words)
        if is_article and (leaning[i] or i > 0):
            continue
        tokens.append(data.connectors.get(word, word))
    if not data.legal_phrases.keys().isdisjoint(tokens):
        return _legal_phrases_shortened(tokens, data.legal_phrases)
    return tuple(tokens)


def _legal_phrases_shortened(tokens: list[str],
                             phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
                             ) -> tuple[str, ...]:
    """``tokens`` with each legal phrase (:attr:`NameData.legal_phrases`) replaced by the
    legal form it stands for."""
    shortened: list[str] = []
    i = 0
    while i < len(tokens):
        for phrase, form in phrases.get(tokens[i], ()):
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                shortened.append(form)
                i += len(phrase)
                break
        else:
            shortened.append(tokens[i])
            i += 1
    return tuple(shortened)


def is_title(word: str) -> bool:
    """Whether the folded ``word`` is a title by itself ("president", "mr").

    >>> is_title("president"), is_title("biden")
    (True, False)
    """
    return (word,) in name_data().titles.get(word, ())


def leading_titles(words: list[str]) -> int:
    """How many of the folded ``words`` are titles before the name; never all of them.

    >>> leading_titles(["us", "president", "joe", "biden"]), leading_titles(["president"])
    (2, 0)
    """
    titles = name_data().titles
    start = 0
    while start < len(words):
        for title in titles.get(words[start], ()):
            end = start + len(title)
            if end < len(words) and tuple(words[start:end]) == title:
                start = end
                break
        else:
            break
    return start


def without_article(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """``tokens`` without a leading Arabic article ("al kadhimi"), when a word follows.

    >>> without_article(("al", "kadhimi")), without_article(("al",))
    (('kadhimi',), ('al',))
    """
    if len(tokens) > 1 and tokens[0] in name_data().articles:
        return tokens[1:]
    return tokens


def name_key(text: str) -> str:
    """The words of :func:`name_tokens`, joined by spaces."""
    return " ".join(name_tokens(text))


@lru_cache(maxsize=65536)
def spelling(word: str) -> str:
    """A folded word with transliteration alternations and doubled letters folded.

    >>> spelling("kadhimi"), spelling("hussein"), spelling("dmitry")
    ('kazimi', 'husein', 'dmitri')
    """
    return _spelled(word, name_data().spelling)


def _spelled(word: str, rules: tuple[tuple[str, str], ...]) -> str:
    for old, new in rules:
        word = word.replace(old, new)
    return _DOUBLED.sub(r"\1", word)


def spelling_key(text: str) -> str:
    """:func:`spelling` of every word of :func:`name_tokens`, joined by spaces."""
    return " ".join(spelling(t) for t in name_tokens(text))


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The first letter and the consonants of :func:`spelling`: a cheap blocking key.

    >>> skeleton("kazemi") == skeleton("kadhimi")
    True
    """
    word = spelling(word)
    return word[:1] + _VOWELS.sub("", _CLOSING_V.sub("", word[1:]))


_VOWEL_LETTERS = frozenset("aeiouy")
_VOWEL_CLASS = "[" + "".join(sorted(_VOWEL_LETTERS)) + "]"
#: "v" or "w" after a vowel and not before one (the Belarusian "u": Novikau, Novikov)
_CLOSING_V = regex.compile(f"(?<={_VOWEL_CLASS})[vw](?!{_VOWEL_CLASS})")


def sound_key(word: str) -> str:
    """A coarse phonetic key of a word: its consonant classes (a blocking key).

    >>> sound_key("tahir") == sound_key("dahir"), sound_key("uways") == sound_key("aweys")
    (True, True)
    """
    word = spelling(word)
    if not word:
        return ""
    data = name_data()
    # a word that starts with a silent letter starts with "a", whichever it is; so does
    # one that starts with "w" before a vowel (Waleed, Uleed), but before a consonant
    # "w" is "v" (Wladimir, Vladimir)
    vowel_like = word[0] in data.silent or (word[0] == "w" and word[1:2] in _VOWEL_LETTERS)
    first = "a" if vowel_like else word[0].translate(data.sounds)
    # "v" or "w" after a vowel and not before one is the Belarusian "u" (Zimovsky,
    # Zimousky; Novikov, Novikau)
    rest = _CLOSING_V.sub("", word[1:]) if "v" in word or "w" in word else word[1:]
    return first + _DOUBLED.sub(r"\1", rest.translate(data.sounds))


def initials(tokens: tuple[str, ...]) -> str:
    """First letters of the words that are not short function words.

    >>> initials(("popular", "mobilization", "forces"))
    'pmf'
    """
    skip = name_data().acronym_skip
    return "".join(t[0] for t in tokens if t not in skip)


def given_names_agree(a: str, b: str) -> bool:
    """Whether two folded given names can be the same person's.

    Same spelling, an initial, a shortened form ("dan"/"daniel"), or one consonant skeleton.

    >>> given_names_agree("joe", "jill"), given_names_agree("j", "joe")
    (False, True)
    >>> given_names_agree("mohammed", "muhammad"), given_names_agree("fidel", "raul")
    (True, False)
    """
    if a == b or spelling(a) == spelling(b):
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 3 and long_.startswith(short):
        return True
    return skeleton(a) == skeleton(b)
