"""The line model: features, decoding, and the page / extracted / auto modes."""

import numpy as np
import pytest

from newsclean import CleanConfig, Pipeline
from newsclean.boilerplate.lines import (
    LineMemo,
    LineModel,
    bundled_model,
    feature_names,
    guess_language,
    line_features,
)

MENU = ["* Home", "* World", "* Business", "* Politics", "* Sport", "* Culture", "* Opinion",
        "Sign in", "Search", "Menu"]
ARTICLE = [
    "Iraq and US sign deal ending combat mission",
    "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden signed an agreement on"
    " Monday that formally ends the US combat mission in Iraq by the end of the year.",
    "The two leaders met in the Oval Office in their first direct talks, and said that the"
    " remaining American troops would advise and train the Iraqi army.",
    "Talks on the future of the partnership",
    "Officials said that the strategic dialogue between Baghdad and Washington would continue"
    " next year, with meetings planned on trade, energy and health.",
]
FOOTER = ["About us", "Contact", "Careers", "Terms of use", "Privacy", "© 2021 Example News",
          "* Facebook", "* Twitter", "* Instagram"]
PAGE = "\n".join(MENU + ARTICLE + FOOTER)


def test_feature_rows_match_the_names():
    features = line_features(ARTICLE, [False] * len(ARTICLE))
    assert features.shape == (len(ARTICLE), len(feature_names()))
    assert np.isfinite(features).all()
    assert line_features([], []).shape == (0, len(feature_names()))


def test_a_shared_memo_changes_no_feature():
    """A later pass over some of the lines, with what the first pass counted, gives the
    features of a pass over those lines alone; a capital whose lower case is longer (İ)
    makes every line count ASCII capitals only, in the pass that holds it."""
    lines = MENU + ARTICLE + ["İstanbul Haber", "Der Mann und die Frau sind in der Stadt."]
    memo = LineMemo()
    first = line_features(lines, [False] * len(lines), memo)
    assert np.array_equal(first, line_features(lines, [False] * len(lines)))
    for later in (ARTICLE, lines[-2:], lines[-1:] + MENU[:3] + MENU[:3]):
        hits = [i % 3 == 0 for i in range(len(later))]
        assert np.array_equal(line_features(later, hits, memo), line_features(later, hits))
    title = feature_names().index("title_ratio")
    assert line_features(["Die Öl AG"], [False])[0, title] == 1.0
    assert line_features(["Die Öl AG", "İ"], [False] * 2)[0, title] == 2 / 3


def test_stop_words_tell_the_language():
    assert guess_language(["le", "président", "a", "dit", "que", "la", "France"]) == "fr"
    assert guess_language(["the", "president", "said", "that"]) == "en"
    assert guess_language("Путин сказал что это не так".casefold().split()) == "ru"
    assert guess_language([]) == "en"


def test_language_ties_go_to_english_then_to_the_language_met_first():
    """The guess is the most frequent language; a tie goes to English, then to the
    language whose first stop word comes first (for one word, the first in
    STOP_LANGUAGES)."""
    from collections import Counter

    from newsclean.boilerplate.lines import stop_words

    def spelled_out(words):
        hits = Counter()
        for word in words:
            for code, stops in stop_words().items():
                hits[code] += word in stops
        met = sorted((code for code in hits if hits[code]), key=lambda code: min(
            (i for i, word in enumerate(words) if word in stop_words()[code])))
        return max(met, key=lambda code: (hits[code], code == "en")) if met else "en"

    for words in (["und", "le"], ["le", "und"], ["die", "the"], ["la"], ["de"], ["zzz"],
                  ["der", "le", "der", "le"], ["el", "la", "de", "y", "que"], ["og", "i", "och"]):
        assert guess_language(words) == spelled_out(words), words


def test_the_memo_guesses_the_language_of_the_first_words():
    import regex

    lines = [*MENU, "Der Mann und die Frau sind in der Stadt.", *ARTICLE, "Le président a dit"]
    words = [w for line in lines for w in regex.findall(r"\w+", line.lower())]
    memo = LineMemo()
    rows = memo.rows_of(lines)
    for size in (1, 5, 12, 20, 2000):
        assert memo.language(rows, size) == guess_language(words[:size]), size


def test_article_lines_score_higher_than_menus():
    lines = MENU + ARTICLE + FOOTER
    p = bundled_model().probabilities(line_features(lines, [False] * len(lines)))
    article = p[len(MENU):len(MENU) + len(ARTICLE)]
    assert article.min() > p[:len(MENU)].max()


def kept_only_article(text):
    """The body and its inner heading kept, no menu or footer line; the headline above the
    body may go (the benchmark's gold article bodies leave headlines out)."""
    lines = text.split("\n")
    assert lines[-4:] == ARTICLE[1:]
    assert set(lines) <= set(ARTICLE)


def test_page_mode_keeps_the_article_and_its_headings():
    result = Pipeline(config=CleanConfig(entities=False, mode="page"))(PAGE)
    kept_only_article(result.text)
    assert {r.rule for r in result.removed} >= {"lines/not-article"}


def test_auto_mode_sees_a_page():
    kept_only_article(Pipeline(config=CleanConfig(entities=False))(PAGE).text)


def test_auto_and_extracted_keep_an_article(seed_text):
    auto = Pipeline(config=CleanConfig(entities=False))(seed_text)
    extracted = Pipeline(config=CleanConfig(entities=False, mode="extracted"))(seed_text)
    assert auto == extracted
    assert len(auto.removed) == 3


def test_extracted_mode_keeps_short_lines_of_an_article():
    text = "\n".join([*ARTICLE, "Q: And then?", "A: We left.", "“intelligence support”"])
    result = Pipeline(config=CleanConfig(entities=False, mode="extracted"))(text)
    assert result.text == text


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode must be one of"):
        CleanConfig(mode="html")


def test_model_round_trips_and_checks_its_features():
    model = bundled_model()
    again = LineModel.from_json(model.to_json())
    assert np.array_equal(again.weights, model.weights)
    broken = model.to_json().replace('"log_words"', '"other"', 1)
    with pytest.raises(ValueError, match="retrain"):
        LineModel.from_json(broken)


def test_words_before_u3000_are_the_words_of_regex():
    """The re class that finds words in text before U+3000 finds what regex's \\w+ does."""
    from newsclean.boilerplate.lines import _WORD_OR_BREAK, _below_3000_word_or_break

    every = " ".join(map(chr, range(0x3000)))  # every character, each a word or not
    mixed = "Ölpreis\u0301 steigt_an: 12,5 % — l'été\nДа! नमस्ते ١٢٣ ½"
    for text in (every, mixed):
        assert _below_3000_word_or_break().findall(text) == _WORD_OR_BREAK.findall(text)


def test_bullets_start_a_line_and_copyright_signs_stand_anywhere():
    lines = ["- item", "x - y", "12) twelve", "123. no", "Text (c) 2020", "© AFP", "(c",
             "•\tdot"]
    features = line_features(lines, [False] * len(lines))
    names = feature_names()
    assert features[:, names.index("bullet")].tolist() == [1, 0, 1, 0, 0, 0, 0, 1]
    assert features[:, names.index("copyright")].tolist() == [0, 0, 0, 0, 1, 1, 0, 0]


def test_the_memo_guesses_english_for_no_words():
    memo = LineMemo()
    assert memo.language(memo.rows_of([]), 2000) == "en"
    assert memo.language(memo.rows_of(["...", "—"]), 2000) == "en"
