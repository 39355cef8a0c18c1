from hypothesis import given
from hypothesis import strategies as st

from newsclean.normalize import normalize, normalize_line


def test_line_endings_and_invisible_characters():
    doc = normalize("One\r\ntwo\rthree\u2028four\u200b\ufeff\n\u00a0 five\t\tsix ")
    assert [line.text for line in doc.lines] == ["One", "two", "three", "four", "five six"]


def test_nfc_composes_and_keeps_offsets():
    source = "Cafe\u0301 in Mosul"
    doc = normalize(source)
    assert doc.lines[0].text == "Café in Mosul"
    assert doc.input_offset(0, 5) == source.index("in")


def test_joiners_are_kept():
    # ZWNJ is part of Persian spelling; ZWJ of emoji sequences.
    assert normalize_line("می\u200cخواهم") == "می\u200cخواهم"


def test_line_spans_point_at_line_content():
    source = "  first line  \n\nsecond\u200b line\n"
    doc = normalize(source)
    assert [source[line.start:line.end] for line in doc.lines] == [
        "first line", "", "second\u200b line", ""]


@given(st.text())
def test_every_line_maps_back_into_the_input(text):
    doc = normalize(text)
    for number, line in enumerate(doc.lines):
        assert 0 <= line.start <= line.end <= len(text)
        assert normalize_line(text[line.start:line.end]) == line.text
        if line.text:
            assert doc.input_offset(number, 0) == line.start


@given(st.text())
def test_normalisation_is_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once
