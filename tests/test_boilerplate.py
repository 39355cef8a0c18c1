import pytest

from newsclean import CleanConfig, Pipeline
from newsclean.boilerplate.duplicates import find_gallery_slides, find_repeats


def dupes(lines, **options):
    settings = dict(similarity=95, min_words=4, window=3) | options
    return [(index, rule) for index, rule, _ in
            find_repeats(lines, range(len(lines)), **settings)]


def test_exact_repeat_goes_first_copy_stays():
    lines = ["Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden",
             "Some text in between here.",
             "Iraqi Prime Minister Mustafa Al-Kadhimi and US President Joe Biden"]
    assert dupes(lines) == [(2, "duplicate/exact")]


def test_repeats_far_apart_are_the_article_s_own():
    step = "Eat every 2-3 hours with a glass of water"
    lines = [step, *(f"Meal {n}: eggs, toast and fruit." for n in range(5)), step]
    assert dupes(lines) == []


def test_near_repeat_goes():
    lines = ["Protesters gather in Tahrir Square on Friday (Reuters)",
             "Protesters gather in Tahrir Square on Friday (Reuters)."[:-1] + " ."]
    assert dupes(lines) == [(1, "duplicate/exact")]
    lines = ["Protesters gather in Tahrir Square in central Baghdad on Friday",
             "Protesters gathered in Tahrir Square in central Baghdad on Friday"]
    assert dupes(lines) == [(1, "duplicate/near")]


def test_short_lines_between_two_copies_do_not_part_them():
    caption = "Defense Secretary Mark Esper shakes hands with Ngo Xuan Lich in Hanoi"
    lines = [caption, "Image", "Caption", "Close", "1 / 8", caption, "The article begins here."]
    assert dupes(lines) == [(5, "duplicate/exact")]
    # lines of enough words still count: a copy three such lines on is the article's own
    lines = [caption, *(f"Paragraph {n} of the article is long enough." for n in range(3)),
             caption]
    assert dupes(lines) == []


def test_a_copy_cut_short_by_an_ellipsis_goes():
    full = ("Defense Secretary Mark Esper, left, and Ngo Xuan Lich shake hands in Hanoi on"
            " Wednesday. Esper is on a visit to Vietnam. less")
    cut = "Defense Secretary Mark Esper, left, and Ngo Xuan Lich shake hands in Hanoi ... more"
    assert dupes([full, cut, "Text."]) == [(1, "duplicate/truncated")]
    assert dupes([full, cut.replace(" ... more", "…"), "Text."]) == [(1, "duplicate/truncated")]
    # a teaser that begins like the line before it but is not cut short stays
    assert dupes([full, "Defense Secretary Mark Esper, left, and Ngo Xuan Lich shake hands"]) == []
    # and so does a line cut short that begins otherwise
    assert dupes([full, "Defense officials met in Hanoi on Wednesday to talk ... more"]) == []


CAPTION = ("U.S. Defense Secretary Mark Esper, left, and Defense Minister Ngo Xuan Lich shake"
           " hands in Hanoi, Vietnam, Wednesday, Nov. 20, 2019. Esper is on a visit to"
           " Vietnam. less")
CUT = "U.S. Defense Secretary Mark Esper, left, and Defense Minister Ngo Xuan Lich ... more"


@pytest.mark.parametrize("mode", ["extracted", "page", "auto"])
def test_a_caption_printed_twice_with_a_credit_goes_whole(mode):
    cleaner = Pipeline(config=CleanConfig(entities=False, mode=mode))
    body = ("HANOI, Vietnam (AP) - U.S. Defense Secretary Mark Esper on Wednesday accused China"
            " of using coercion against smaller Asian nations.")
    result = cleaner("\n".join([CAPTION, CUT, "Photo: Hau Dinh, AP", body]))
    assert result.text == body
    assert [r.rule for r in result.removed] == [
        "duplicate/caption", "duplicate/truncated", "credit/photo-agency"]


def test_a_line_printed_twice_keeps_its_first_copy_without_a_credit_or_a_sentence(cleaner):
    body = "The minister flew on to Jakarta on Thursday, his office said in a statement."
    # no credit after either copy: perhaps a pull quote; the first copy stays
    assert cleaner("\n".join([CAPTION, CAPTION, body])).text == "\n".join([CAPTION, body])
    # a headline over a gallery, printed again before its counter: no sentence, it stays
    headline = "Esper accuses China of intimidating smaller Asian nations"
    text = "\n".join([headline, body, headline, "Image 1 of 8", body.replace("Jakarta", "Manila")])
    assert headline in cleaner(text).text


def test_two_posts_of_one_account_both_keep_their_signature():
    signature = "— The Nigerian Senate (@NGRSenate) October 9, 2018"
    lines = ["Observe a minute silence in honour of the departed souls.", signature,
             "Senate Leader Ahmad Lawan raises a motion on the deaths.", signature]
    assert dupes(lines) == []
    shared = "A post shared by Dele (@dele_official) on Nov 19, 2019"
    assert dupes([shared, "What a night at the stadium with the team.", shared]) == []
    # a caption that merely names a handle is still a repeat
    caption = "Fans cheer the team (@SpursOfficial) at the stadium on Tuesday"
    assert dupes([caption, caption]) == [(1, "duplicate/exact")]


def test_short_lines_may_repeat():
    assert dupes(["Q: Why?", "Answer one is long enough.", "Q: Why?"]) == []


def test_different_lines_stay():
    lines = ["Biden met Al-Kadhimi in the Oval Office on Monday.",
             "Al-Kadhimi met Biden in Baghdad on Tuesday afternoon."]
    assert dupes(lines) == []


def slides(lines):
    return [index for index, _ in find_gallery_slides(lines, range(len(lines)))]


def test_the_captions_of_a_gallery_printed_as_text_go(cleaner):
    gallery = ["- 2/50 Star Wars boosts economy Production of the next film has begun.",
               "- 3/50 Natalie Massenet leaves Net-a-Porter after a summer of talks.",
               "- 5/50 World's richest lose $182b in last week's market slump."]
    assert slides(gallery) == [0, 1, 2]
    text = "\n".join(["The article's first paragraph is here.", "Business news in pictures",
                      *gallery, "The article goes on here."])
    result = Pipeline(config=CleanConfig(entities=False, mode="extracted"))(text)
    assert result.text == "\n".join(["The article's first paragraph is here.",
                                     "Business news in pictures", "The article goes on here."])
    assert {r.rule for r in result.removed} == {"gallery/slide"}


def test_ratings_fractions_and_short_counts_are_no_gallery():
    # ratings out of five, in no order
    assert slides(["4/5 Battery life is good", "3/5 The camera is weak", "5/5 A fine screen"]) == []
    # numbers that do not rise
    assert slides(["7/10 A", "3/10 B", "9/10 C"]) == []
    # two slides are not enough, and a fraction in a sentence is no slide
    assert slides(["1/8 First photo of the day", "2/8 Second photo of the day"]) == []
    assert slides(["1/3 of voters said no.", "2/3 of them said yes.", "3/3 agreed later."]) == []


def test_duplicates_can_be_kept(cleaner):
    text = "A caption that repeats itself here\n\nA caption that repeats itself here"
    assert cleaner(text).text == "A caption that repeats itself here"
    keep = Pipeline(config=CleanConfig(entities=False, drop_duplicates=False))
    assert keep(text).text == text


def test_paragraphs_survive_removals(cleaner):
    text = "Para one.\n\nShare this:\nPara two.\n\n\n\nPara three.\n"
    result = cleaner(text)
    assert result.text == "Para one.\n\nPara two.\n\nPara three."
    assert [r.rule.split("/")[0] for r in result.removed] == ["share"]


def test_removals_point_into_the_original_input(cleaner):
    text = "Body line.\r\n\u00a0 Please enter your comment! \r\n"
    result = cleaner(text)
    (removal,) = result.removed
    assert text[removal.start:removal.end] == removal.text
    assert removal.text == "Please enter your comment!"
    assert removal.rule.startswith("comment-form/")


CASES = [
    ("Leave a Reply Cancel reply", "comment-form"),
    ("Your email address will not be published. Required fields are marked *", "comment-form"),
    ("Save my name, email, and website in this browser for the next time I comment.",
     "comment-form"),
    ("You have entered an incorrect email address!", "comment-form"),
    ("Please enable JavaScript to view the comments powered by Disqus.", "comment-form"),
    ("Share this:", "share"),
    ("Like Loading...", "share"),
    ("Subscribe to our newsletter", None),
    ("- Advertisement -", "advertisement"),
    ("Read also: Iraq signs deal with France", "related"),
    ("(Photo by Brendan Smialowski/AFP via Getty Images)", "credit"),
    ("Associated Press writers Alan Fram, Zeke Miller, Laurie Kellman, Colleen Long, Eric"
     " Tucker, Lolita Baldor and Jill Colvin contributed to this report.", "byline"),
    ("Also on rt.com Journalists & politicians from Morales’ party threatened with sedition"
     " arrests", "related"),
    ("You may revoke this consent at any time with effect for the future, in which case your"
     " personal data will be deleted immediately.", "comment-form"),
    ("If you enjoyed this article, we have a proposition for you: Join NRPLUS.", "subscribe"),
    ("An error has occurred, please try again later.", "nav"),
    ("- landscape-tablet-and-medium-wide-browser", "nav"),
    ("November 19, 2019 / 12:21 AM / Updated 14 hours ago", "nav"),
    ("科技 > 要闻 > THE NEXT WEB > 正文", "nav"),
]


@pytest.mark.parametrize("line, category", CASES)
def test_common_leftovers_go(cleaner, line, category):
    result = cleaner(f"The first paragraph of the story.\n\n{line}\n\nThe last paragraph.")
    assert result.text == "The first paragraph of the story.\n\nThe last paragraph."
    if category:
        assert result.removed[0].rule.startswith(category + "/")


@pytest.mark.parametrize("line", [
    "Readers were asked to share their stories of the flood.",
    "Related talks will continue in Baghdad next week, officials said.",
    "Please enter your comments on the draft by Friday, the ministry said.",
    "Photo finish decided the race in Doha.",
    "Strengthening the strategic partnership",
    "“intelligence support”",
    "Also on Monday, the ministry said talks would resume.",
    "Under the new law you may revoke your consent at any time, the regulator said.",
    "Please wait for the doctor, the nurse said.",
    "If you enjoyed this article, you will love the book.",
])
def test_article_lines_stay(cleaner, line):
    assert cleaner(f"{line}\n\nAnother paragraph.").text == f"{line}\n\nAnother paragraph."


def test_cleaning_is_idempotent(cleaner, seed_text):
    once = cleaner(seed_text).text
    assert cleaner(once).text == once
    assert cleaner(once).removed == ()


def test_structure_is_not_a_repeat():
    header = "Pos Player Plays % Stats"
    assert dupes([header, header, "QB Smith 12 3", header]) == []  # three copies: a table
    row = "3 │ -0.43 │ f │ f │ f"
    assert dupes([row, row, "and more text here"]) == []


def test_a_comment_section_at_the_end_goes_whole(cleaner):
    article = [f"Paragraph {n} of the article, with enough words to be one." for n in range(8)]
    comments = ["3 Comments", "Great article, thanks!", "I disagree with the second point.",
                "Thanks for reading, we will follow up."]
    result = cleaner("\n".join(article + comments))
    assert result.text == "\n".join(article)
    assert [r.rule for r in result.removed] == ["comment-section/count"] + [
        "comment-section/body"] * 3


@pytest.mark.parametrize("heading, section", [
    ("You may also like:", "related-section"),
    ("Other Opinion Columns", "related-section"),
    ("You May Like", "related-section"),  # recommendation widgets
    ("Around the Web", "related-section"),
    ("Recommended by Outbrain", "related-section"),
    ("All comments", "comment-section"),
    # WordPress's comment-list heading and "related" headings in other languages
    ("3 Gedanken zu „Der Haushalt“", "comment-section"),
    ("Une réflexion sur « Le budget »", "comment-section"),
    ("Одна мысль о «Бюджет»", "comment-section"),
    ("تعليق واحد على «الميزانية»", "comment-section"),
    ("Das könnte Sie auch interessieren", "related-section"),
    ("También te puede interesar:", "related-section"),
    ("Você também pode gostar", "related-section"),
    ("قد يعجبك أيضا", "related-section"),
])
def test_a_list_of_other_stories_after_extracted_text_goes_whole(heading, section):
    article = [f"Paragraph {n} of the article, with enough words to be one." for n in range(3)]
    others = [heading, "The mayor's new budget, line by line",
              "Ten walks along the river this autumn"]
    extracted = Pipeline(config=CleanConfig(mode="extracted", entities=False))
    result = extracted("\n".join(article + others))
    assert result.text == "\n".join(article)
    assert [r.rule for r in result.removed] == [result.removed[0].rule] + [
        f"{section}/body"] * 2
    assert result.removed[0].rule.startswith(f"{section}/")


def test_a_comments_heading_early_on_heads_article_text(cleaner):
    lines = ["Comments", *(f"Paragraph {n} of a piece about public comments." for n in range(6))]
    assert cleaner("\n".join(lines)).text == "\n".join(lines)


def site_pages(site, count):
    footer = ["Subscribe to the Daily Herald print edition today",
              "Daily Herald is published by Herald Media Group"]
    return [{"url": f"https://www.{site}/story/{n}", "text": "\n".join(
        [f"Story {n}: the council met on day {n} and voted on the budget.", *footer])}
        for n in range(count)]


def test_corpus_mode_removes_lines_a_site_repeats(cleaner):
    results = list(cleaner.pipe(site_pages("herald.example", 6)))
    for n, result in enumerate(results):
        assert result.text == f"Story {n}: the council met on day {n} and voted on the budget."
        assert {r.rule for r in result.removed} == {"corpus/repeated"}


def test_corpus_mode_needs_enough_documents_of_one_site(cleaner):
    pages = site_pages("herald.example", 3) + site_pages("other.example", 3)
    for result in cleaner.pipe(pages):
        assert result.removed == ()


def test_corpus_mode_can_be_turned_off():
    pipe = Pipeline(config=CleanConfig(entities=False, corpus_min_documents=0))
    assert all(r.removed == () for r in pipe.pipe(site_pages("herald.example", 8)))


def test_corpus_mode_counts_carry_across_windows():
    pipe = Pipeline(config=CleanConfig(entities=False, corpus_window=4))
    results = list(pipe.pipe(site_pages("herald.example", 9)))
    assert all(r.removed == () for r in results[:4])  # 4 pages seen: fewer than 5
    assert all(r.removed for r in results[4:])  # 8, then 9 pages seen


def test_line_keys_fold_as_the_regex_definition_does():
    """line_key's quick paths (a translation table for ASCII, an re class before U+3000)
    give the key its regex definition gives: case-folded, runs of [\\W_] one space."""
    import regex

    from newsclean.boilerplate.duplicates import line_key

    def defined(line):
        return regex.sub(r"[\W_]+", " ", line.casefold()).strip()

    every = "".join(map(chr, range(1, 0x3000)))
    lines = [every, " ".join(every), "_".join(every[:3000]), "Iraqi PM  Al-Kadhimi, Biden.",
             "  “Ölpreis” — STRASSE ﬁnal_ 12,5 %  ", "Ελλάς ΟΔΟΣ", "東京 Tokyo", "x\U0001F600y"]
    for line in lines:
        assert line_key(line) == defined(line), line[:40]


def test_a_near_repeat_at_the_similarity_itself_goes():
    """Keys whose lengths differ just as much as ``similarity`` allows are still compared
    (19 and 21 characters: a ratio of exactly 95)."""
    assert dupes(["Crowd at the square", "Crowd at the squarexy"]) == [(1, "duplicate/near")]
    assert dupes(["Crowd at the square", "Crowd at the squarexyz"]) == []
