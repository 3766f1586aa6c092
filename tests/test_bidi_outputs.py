"""The corpus built into a site reads right in the page, in Chromium, in the PDF and in the feed."""

from __future__ import annotations

import contextlib
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import arabic_reshaper
import feedparser
import pypdfium2
import pytest
from lxml import etree, html
from markupsafe import Markup, escape

from bidi_oracle import (
    OPPOSITE,
    Phrase,
    Sentence,
    bare,
    broken_phrases,
    comparable,
    corpus,
    isolated_text,
    own_order,
    visual,
    visual_order,
    words,
)
from bilingual import BuildResult, build
from bilingual.publish import templating
from bilingual.publish.card_shapers import visual_order as card_order
from bilingual.text import markdown
from bilingual.text.bidi import SHORT_PHRASE_LENGTH, SHORT_PHRASE_WORDS
from conftest import serve
from painted_glyphs import Line, latin_phrases, misdrawn, painted_lines
from pdf_text import EXTRACTORS

SENTENCES = corpus()
PERSIAN = [sentence for sentence in SENTENCES if sentence.direction == "rtl"]
ENGLISH = [sentence for sentence in SENTENCES if sentence.direction == "ltr"]
PAGES = {"fa": "fa/posts/corpus/index.html", "en": "en/posts/corpus/index.html"}
PDFS = {"fa": "fa/posts/corpus/corpus.fa.pdf", "en": "en/posts/corpus/corpus.en.pdf"}
LIST_ITEMS = ["نخست", "دوم", "سوم"]
# A list written in English on a Persian page, its items on consecutive lines.
ENGLISH_ITEMS = ["Read the agreement first.", "Sign it on 14 July 2015, in Vienna."]


def post(title: str, sentences: list[Sentence], extra: str = "") -> str:
    body = "\n\n".join(sentence.text for sentence in sentences)
    return f"---\ntitle: '{title}'\ndate: 2015-07-14\n---\n\n{body}\n{extra}"


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build(write_corpus_site(tmp_path_factory.mktemp("corpus") / "site"), pdf=True)


def write_corpus_site(root: Path) -> Path:
    """A site of one post in each language, its body the corpus of that direction."""
    (root / "content" / "posts" / "corpus").mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://corpus.example/"\nlanguages = ["en", "fa"]\n'
        'default_language = "en"\n\n[site.title]\nen = "Corpus"\nfa = "پیکره"\n',
        encoding="utf-8",
    )
    (root / "content" / "tags.yaml").write_text("{}\n", encoding="utf-8")
    persian_list = "\n" + "".join(
        f"{number}. {item}\n" for number, item in enumerate(LIST_ITEMS, 1)
    )
    persian_list += "\n" + "".join(f"- {item}\n" for item in ENGLISH_ITEMS)
    posts = root / "content" / "posts" / "corpus"
    (posts / "fa.md").write_text(post(PERSIAN[0].text, PERSIAN, persian_list), encoding="utf-8")
    (posts / "en.md").write_text(post(ENGLISH[0].text, ENGLISH), encoding="utf-8")
    return root


def paragraphs(result: BuildResult, lang: str) -> dict[str, html.HtmlElement]:
    tree = html.parse(str(result.out_dir / PAGES[lang])).getroot()
    found = {element.text_content(): element for element in tree.xpath("//main//p | //main//h1")}
    return found


def test_every_phrase_reads_intact_in_the_built_pages(corpus_site: BuildResult) -> None:
    broken = {}
    for lang, sentences in (("fa", PERSIAN), ("en", ENGLISH)):
        found = paragraphs(corpus_site, lang)
        for sentence in sentences:
            element = found[sentence.text]
            direction = element.get("dir") or ("rtl" if lang == "fa" else "ltr")
            assert direction == sentence.direction
            if missing := broken_phrases(isolated_text(element), direction, sentence.phrases):
                broken[sentence.text] = missing
    assert broken == {}


# Text that the plain algorithm gets wrong, as a title, a summary and a tag label, with the
# phrase of each that must read intact.
HEAD_TEXT = {
    "fa": {
        "title": ("با شمارهٔ +1 212 555 0100 تماس بگیرید", "+1 212 555 0100"),
        "summary": ("او گفت: «I am here.» و رفت.", "I am here."),
        "label": ("قرارداد 14 July 2015", "14 July 2015"),
    },
    "en": {
        "title": ("The agreement was signed on ۲۳ تیر ۱۳۹۴ in Vienna.", "۲۳ تیر ۱۳۹۴"),
        "summary": ("The crowd chanted «زن، زندگی، آزادی!» all night.", "زن، زندگی، آزادی!"),
        "label": ("Signed ۲۳ تیر ۱۳۹۴", "۲۳ تیر ۱۳۹۴"),
    },
}


def test_the_head_of_a_page_isolates_its_title_and_summary(tmp_path: Path) -> None:
    """Browser tabs, bookmarks and link previews show ``<title>`` and the Open Graph text."""
    root = tmp_path / "site"
    (root / "content" / "posts" / "call").mkdir(parents=True)
    (root / "bilingual.toml").write_text(
        '[site]\nbase_url = "https://head.example/"\nlanguages = ["fa", "en"]\n'
        'default_language = "fa"\n\n[site.title]\nen = "Head"\nfa = "سر"\n',
        encoding="utf-8",
    )
    labels = {lang: fields["label"][0] for lang, fields in HEAD_TEXT.items()}
    (root / "content" / "tags.yaml").write_text(
        f"deal:\n  en: '{labels['en']}'\n  fa: '{labels['fa']}'\n", encoding="utf-8"
    )
    for lang, fields in HEAD_TEXT.items():
        (root / "content" / "posts" / "call" / f"{lang}.md").write_text(
            f"---\ntitle: '{fields['title'][0]}'\nsummary: '{fields['summary'][0]}'\n"
            "date: 2015-07-14\ntags: [deal]\n---\n\nمتن.\n",
            encoding="utf-8",
        )
    out = build(root, pdf=False).out_dir
    for lang, fields in HEAD_TEXT.items():
        direction = "rtl" if lang == "fa" else "ltr"
        phrases = {text: (Phrase(phrase, OPPOSITE[direction]),) for text, phrase in fields.values()}
        assert all(broken_phrases(text, direction, phrase) for text, phrase in phrases.items())
        page = html.parse(str(out / lang / "posts" / "call" / "index.html")).getroot()
        tag_page = html.parse(str(out / lang / "tags" / "deal" / "index.html")).getroot()
        meta = {
            element.get("property") or element.get("name"): element.get("content")
            for element in page.xpath("//meta[@content]")
        }
        title, summary = fields["title"][0], fields["summary"][0]
        shown = [
            (page.findtext(".//title").split(" · ")[0], title),
            (meta["og:title"], title),
            (meta["og:image:alt"], title),
            (meta["og:description"], summary),
            (meta["description"], summary),
            (tag_page.findtext(".//title").split(" · ")[0], fields["label"][0]),
        ]
        for text, source in shown:
            assert strip_isolates(text) == source
            assert broken_phrases(text, direction, phrases[source]) == [], text


def test_titles_read_intact_in_the_page_and_the_feed(corpus_site: BuildResult) -> None:
    for lang, sentence in (("fa", PERSIAN[0]), ("en", ENGLISH[0])):
        title = (
            html.parse(str(corpus_site.out_dir / PAGES[lang]))
            .getroot()
            .xpath("//h1[contains(@class, 'entry-title')]")[0]
        )
        assert broken_phrases(isolated_text(title), sentence.direction, sentence.phrases) == []
        feed = etree.parse(str(corpus_site.out_dir / lang / "feed.xml"))
        atom = {"a": "http://www.w3.org/2005/Atom"}
        feed_title = feed.xpath("//a:entry/a:title", namespaces=atom)[0].text
        assert feed_title != sentence.text  # the run is isolated with Unicode controls
        assert broken_phrases(feed_title, sentence.direction, sentence.phrases) == []


def test_every_phrase_reads_intact_in_the_feeds(corpus_site: BuildResult) -> None:
    broken = {}
    atom = {"a": "http://www.w3.org/2005/Atom"}
    for lang, sentences in (("fa", PERSIAN), ("en", ENGLISH)):
        feed = etree.parse(str(corpus_site.out_dir / lang / "feed.xml"))
        content = feed.xpath("//a:entry/a:content", namespaces=atom)[0].text
        found = {
            strip_isolates(element.text_content()): element
            for element in html.fragment_fromstring(content, create_parent="div").iter("p")
        }
        for sentence in sentences:
            element = found[sentence.text]
            direction = element.get("dir") or sentence.direction
            if missing := broken_phrases(isolated_text(element), direction, sentence.phrases):
                broken[sentence.text] = missing
    assert broken == {}


def test_every_phrase_reads_intact_in_a_feed_reader_that_drops_bdi(
    corpus_site: BuildResult,
) -> None:
    """feedparser, as many readers, keeps ``dir`` but removes ``<bdi>``: the runs must survive."""
    broken = {}
    for lang, sentences in (("fa", PERSIAN), ("en", ENGLISH)):
        entry = feedparser.parse((corpus_site.out_dir / lang / "feed.xml").read_bytes()).entries[0]
        content = html.fragment_fromstring(entry.content[0].value, create_parent="div")
        assert not content.xpath("//bdi")  # the reader did drop them
        found = {element.text_content(): element for element in content.iter("p")}
        for sentence in sentences:
            element = next(
                element
                for content_text, element in found.items()
                if strip_isolates(content_text) == sentence.text
            )
            direction = element.get("dir") or sentence.direction
            if missing := broken_phrases(isolated_text(element), direction, sentence.phrases):
                broken[sentence.text] = missing
        title = entry.title
        assert broken_phrases(title, sentences[0].direction, sentences[0].phrases) == []
    assert broken == {}


def strip_isolates(text: str) -> str:
    return "".join(char for char in text if char not in "\u2066\u2067\u2068\u2069")


def pdf_lines(path: Path) -> list[list[str]]:
    """Each line of the PDF as its words from left to right, placed by their boxes."""
    placed: list[tuple[float, float, str]] = []
    document = pypdfium2.PdfDocument(str(path))
    for number, page in enumerate(document):
        text = page.get_textpage()
        chars = [text.get_text_range(index, 1) for index in range(text.count_chars())]
        boxes = [text.get_charbox(index, loose=True) for index in range(len(chars))]
        for start, end in words("".join(chars)):
            left = min(box[0] for box in boxes[start:end])
            right = max(box[2] for box in boxes[start:end])
            middle = sum(box[1] + box[3] for box in boxes[start:end]) / 2 / (end - start)
            if word := bare("".join(chars[start:end])):
                placed.append((number * 10_000 - middle, (left + right) / 2, word))
    document.close()
    lines: list[list[tuple[float, str]]] = []
    previous = None
    for height, centre, token in sorted(placed):
        if previous is None or height - previous > 4:
            lines.append([])
        lines[-1].append((centre, token))
        previous = height
    return [[token for _, token in sorted(line)] for line in lines]


def holds(line: list[str], expected: list[str], beside: str = "") -> bool:
    """Whether ``line`` has the words ``expected`` one after another.

    A word may carry, on top of its own signs, some of ``beside``: the punctuation of the
    sentence right before or after the phrase («مهسا امینی,»), which extractors join to
    the word drawn next to it. A missing sign or letter still breaks the phrase.
    """
    return any(
        all(
            _same_word(found, wanted, beside)
            for found, wanted in zip(line[start : start + len(expected)], expected, strict=True)
        )
        for start in range(len(line) - len(expected) + 1)
    )


def _same_word(found: str, wanted: str, beside: str) -> bool:
    extra = Counter(found) - Counter(wanted)
    return not Counter(wanted) - Counter(found) and not extra - Counter(bare(beside))


def punctuation_beside(sentence: Sentence, phrase: Phrase) -> str:
    """The signs of ``sentence`` touching ``phrase`` on either side (up to a space)."""
    start = sentence.text.index(phrase.text)
    before = sentence.text[:start].rsplit(" ", 1)[-1]
    after = sentence.text[start + len(phrase.text) :].split(" ", 1)[0]
    return "".join(char for char in before + after if unicodedata.category(char)[0] == "P")


# poppler reads a Persian phrase in an English line from its left end (test_text_layer.py).
PDF_READERS = {"fa": ("poppler", "pdfium"), "en": ("pdfium",)}


def reading_lines(path: Path, extractor: str) -> list[list[str]]:
    """Each line of the text ``extractor`` reads from the PDF, as its words in reading order.

    A phrase in the other direction is one span of the text layer, which PDFium gives no
    box per word: its words are compared in the order they are read, not by their places.
    """
    return [
        [word for token in line.split() if (word := bare(token))]
        for line in EXTRACTORS[extractor](path).splitlines()
    ]


def test_every_phrase_reads_intact_in_the_pdf_editions(corpus_site: BuildResult) -> None:
    broken = []
    for lang, sentences in (("fa", PERSIAN), ("en", ENGLISH)):
        for extractor in PDF_READERS[lang]:
            lines = reading_lines(corpus_site.out_dir / PDFS[lang], extractor)
            for sentence in sentences:
                for phrase in sentence.phrases:
                    expected = [word for token in phrase.text.split() if (word := bare(token))]
                    beside = punctuation_beside(sentence, phrase)
                    if not any(holds(line, expected, beside) for line in lines):
                        broken.append((extractor, phrase.text))
    assert broken == []


def test_the_pdf_check_sees_a_sign_torn_from_its_word() -> None:
    # «Is it true?» with the question mark read after the next word: broken
    assert holds(["Is", "it", bare("true?")], ["Is", "it", bare("true?")])
    assert not holds(["Is", "it", bare("true"), bare("?او")], ["Is", "it", bare("true?")])
    # «مهسا امینی,»: the comma of the sentence beside the name does not break it
    assert holds([bare("امینی"), bare("مهسا,")], [bare("امینی"), bare("مهسا")], ",")
    assert not holds([bare("امینی"), bare("مهس,")], [bare("امینی"), bare("مهسا")], ",")


def test_the_pdf_check_sees_a_phrase_read_backwards(corpus_site: BuildResult) -> None:
    date = [bare(word) for word in ("July", "14,", "2015")]
    for extractor in PDF_READERS["fa"]:
        lines = reading_lines(corpus_site.out_dir / PDFS["fa"], extractor)
        assert any(holds(line, date) for line in lines)
        assert not any(holds(line, date[::-1]) for line in lines)


# --- the glyphs painted in the PDF, without its text layer ---------------------------------


def build_painted_only(root: Path) -> BuildResult:
    """Build the PDFs with no /ActualText, so extraction sees only glyphs and their places."""
    with mock.patch(
        "bilingual.publish.pdf.document.text_layer", lambda *args: contextlib.nullcontext()
    ):
        return build(root, pdf=True, jobs=1)


@pytest.fixture(scope="module")
def painted_corpus(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_painted_only(write_corpus_site(tmp_path_factory.mktemp("painted") / "site"))


@contextlib.contextmanager
def print_without_isolates() -> Iterator[None]:
    """Within this block, text is printed escaped, with no isolates, as plain bidi lays it out.

    The print renderers keep what they made in this process: they are emptied on the way in
    and on the way out, so that no other build sees text made here.
    """

    def plain(text: str, direction: str) -> Markup:
        return escape(text)

    with (
        mock.patch.object(markdown, "isolate_print", plain),
        mock.patch.object(templating, "isolate_print", plain),
        mock.patch.object(markdown, "_RENDERED", markdown._Rendered(0)),
    ):
        markdown._parser.cache_clear()
        templating._isolate_print.cache_clear()
        try:
            yield
        finally:
            markdown._parser.cache_clear()
            templating._isolate_print.cache_clear()


def misdrawn_phrases(result: BuildResult) -> dict[str, list[str]]:
    """Each Latin-script phrase of the corpus not painted left to right and whole, and how."""
    found = {}
    for lang, sentences in (("fa", PERSIAN), ("en", ENGLISH)):
        lines = painted_lines(result.out_dir / PDFS[lang])
        for sentence in sentences:
            for phrase in latin_phrases(sentence):
                if problems := misdrawn(sentence, phrase, lines):
                    found[phrase.text] = problems
    return found


def test_every_latin_phrase_is_painted_left_to_right_in_the_pdf(
    painted_corpus: BuildResult,
) -> None:
    checked = [phrase.text for sentence in SENTENCES for phrase in latin_phrases(sentence)]
    assert {"+1 212 555 0100", "I am here.", "@UN", "Is it true?"} <= set(checked)
    assert len(checked) > 45
    assert misdrawn_phrases(painted_corpus) == {}


def test_the_painted_order_check_sees_print_without_isolates(tmp_path: Path) -> None:
    with print_without_isolates():
        result = build_painted_only(write_corpus_site(tmp_path / "site"))
    misdrawn = misdrawn_phrases(result)
    # the period lands left of the sentence, the number reads backwards in groups
    assert misdrawn["I am here."] == [
        "page 1: painted '.تفرو\".Iamhere\":تفگوا', not 'Iamhere.' in it"
    ]
    assert "01005552121+" in misdrawn["+1 212 555 0100"][0]
    assert {"Is it true?", "@UN", "C++", "14 July 2015", "3(a)(ii)"} <= misdrawn.keys()
    assert "July 14, 2015" not in misdrawn  # numbers after a Latin word stay with it (W7)


def test_the_painted_order_check_sees_a_glyph_out_of_place() -> None:
    sentence = Sentence(
        "او پرسید: «Is it true?» و سکوت کرد.", "rtl", (Phrase("Is it true?", "ltr"),)
    )
    phrase = sentence.phrases[0]
    intact = Line(0, 100.0, comparable(".درک توکس و «Is it true?» :دیسرپ او"))
    assert misdrawn(sentence, phrase, [intact]) == []
    torn = Line(0, 100.0, comparable(".درک توکس و «?Is it true» :دیسرپ او"))
    assert misdrawn(sentence, phrase, [torn]) == [
        f"page 1: painted {torn.text!r}, not 'Isittrue?' in it"
    ]
    wrapped = [Line(0, 100.0, comparable("و «Is it")), Line(0, 80.0, comparable("true?» :دیسرپ"))]
    assert misdrawn(sentence, phrase, wrapped) == ["on no line whole"]


def test_persian_lists_count_in_persian_digits_in_the_pdf(corpus_site: BuildResult) -> None:
    lines = pdf_lines(corpus_site.out_dir / PDFS["fa"])
    items = [line for line in lines if len(line) == 2 and line[0] in map(bare, LIST_ITEMS)]
    assert items == [
        [bare(item), bare(f"{digit}.")] for item, digit in zip(LIST_ITEMS, "۱۲۳", strict=True)
    ]


# --- in Chromium ----------------------------------------------------------------------------

CHARACTER_BOXES = """(element) => {
  const boxes = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      boxes.push([node.data[i], rect.left, rect.right, rect.top, rect.bottom]);
    }
  }
  return boxes;
}"""

Box = tuple[str, float, float, float, float]


@pytest.fixture(scope="module")
def corpus_server(corpus_site: BuildResult) -> Iterator[str]:
    server, url = serve(corpus_site.out_dir)
    yield url
    server.shutdown()


def measured(char: str, box: Box) -> bool:
    return (
        not char.isspace()
        and unicodedata.category(char) not in ("Mn", "Cf")
        and box[2] - box[1] > 0.5
    )


def phrase_problem(text: str, boxes: list[Box], phrase: Phrase, direction: str) -> str | None:
    """What is wrong with ``phrase`` as laid out in ``boxes``, or None if it reads intact."""
    start = text.index(phrase.text)
    own = [start + index for index in visual_order(phrase.text, phrase.direction)]
    if phrase.direction == direction:  # as after a word of its sentence (see own_order)
        letter = "\u0627 " if direction == "rtl" else "a "
        own = [
            start + index - len(letter)
            for index in visual_order(letter + phrase.text, direction)
            if index >= len(letter)
        ]
    chars = [index for index in own if measured(text[index], boxes[index])]
    lines = {round(boxes[index][3]) for index in chars}
    if len(lines) > 1:
        return "broken across lines"
    centres = [(boxes[index][1] + boxes[index][2]) / 2 for index in chars]
    if centres != sorted(centres):
        return "out of order"
    left, right = min(boxes[i][1] for i in chars), max(boxes[i][2] for i in chars)
    inside = [
        index
        for index, box in enumerate(boxes)
        if measured(text[index], box)
        and round(box[3]) in lines
        and left < (box[1] + box[2]) / 2 < right
        and index not in own
    ]
    return f"interrupted by {''.join(text[i] for i in inside)!r}" if inside else None


def layout_problems(
    page: object, lang: str, sentences: list[Sentence], short_only: bool = False
) -> dict[str, str]:
    problems = {}
    for sentence in sentences:
        element = page.locator("main p", has_text=sentence.text).first  # type: ignore[attr-defined]
        boxes = element.evaluate(CHARACTER_BOXES)
        text = "".join(box[0] for box in boxes)
        assert text == sentence.text
        for phrase in sentence.phrases:
            if short_only and len(phrase.text.split()) > 3:
                continue
            if problem := phrase_problem(text, boxes, phrase, sentence.direction):
                problems[phrase.text] = problem
    return problems


@pytest.mark.browser
def test_every_phrase_runs_in_its_own_direction_in_chromium(
    browser: object, corpus_server: str
) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    problems = {}
    for lang, sentences in (("fa", PERSIAN), ("en", ENGLISH)):
        page.goto(corpus_server + PAGES[lang])
        problems.update(layout_problems(page, lang, sentences))
    context.close()
    assert problems == {}


@pytest.mark.browser
def test_short_phrases_stay_on_one_line_on_a_phone(browser: object, corpus_server: str) -> None:
    context = browser.new_context(viewport={"width": 300, "height": 700})  # type: ignore[attr-defined]
    page = context.new_page()
    problems = {}
    wrapped = 0
    for lang, sentences in (("fa", PERSIAN), ("en", ENGLISH)):
        page.goto(corpus_server + PAGES[lang])
        problems.update(layout_problems(page, lang, sentences, short_only=True))
        wrapped += page.evaluate("""() => [...document.querySelectorAll('main p')].filter(p =>
            p.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(p).lineHeight))
            .length""")
    context.close()
    assert wrapped > 10  # the phone's narrow column does wrap many sentences
    assert problems == {}


BREAKABLE_RUNS = """() => [...document.querySelectorAll('main bdi[dir]')].filter(bdi => {
  const style = bdi.style;
  style.display = 'inline-block';
  style.inlineSize = 'min-content';
  const narrowest = bdi.getBoundingClientRect().width;
  style.inlineSize = 'max-content';
  const widest = bdi.getBoundingClientRect().width;
  style.display = style.inlineSize = '';
  return narrowest < widest - 0.5;
}).map(bdi => bdi.textContent)"""


@pytest.mark.browser
def test_no_short_phrase_can_break_at_any_width(browser: object, corpus_server: str) -> None:
    """A run of a few words has no line-break opportunity left: its narrowest is its widest."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    breakable: list[str] = []
    for lang in ("fa", "en"):
        page.goto(corpus_server + PAGES[lang])
        breakable += page.evaluate(BREAKABLE_RUNS)
    context.close()
    short = [
        run
        for run in breakable
        if len(run.split()) <= SHORT_PHRASE_WORDS and len(run) <= SHORT_PHRASE_LENGTH
    ]
    assert any(len(run.split()) > SHORT_PHRASE_WORDS for run in breakable)  # long runs may wrap
    assert short == []


def test_list_items_written_in_the_other_direction_say_so(corpus_site: BuildResult) -> None:
    page = html.parse(str(corpus_site.out_dir / PAGES["fa"])).getroot()
    items = page.xpath("//div[@class='entry-body']/ul/li")
    assert [item.text_content() for item in items] == ENGLISH_ITEMS
    assert [item.get("dir") for item in items] == ["ltr", "ltr"]
    assert items[0].getparent().get("dir") == "ltr"


@pytest.mark.browser
def test_list_items_read_in_their_own_direction_in_chromium(
    browser: object, corpus_server: str
) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(corpus_server + PAGES["fa"])
    problems = {}
    for item in page.locator(".entry-body > ul > li").all():
        boxes = item.evaluate(CHARACTER_BOXES)
        text = "".join(box[0] for box in boxes)
        problems[text] = phrase_problem(text, boxes, Phrase(text, "ltr"), "rtl")
    context.close()
    assert problems == dict.fromkeys(ENGLISH_ITEMS)


@pytest.mark.browser
def test_persian_lists_count_in_persian_digits_in_chromium(
    browser: object, corpus_server: str
) -> None:
    context = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(corpus_server + PAGES["fa"])
    style = page.locator("main ol").first.evaluate("(ol) => getComputedStyle(ol).listStyleType")
    page.goto(corpus_server + PAGES["en"])
    headings = page.locator("h1").first.evaluate("(h) => getComputedStyle(h).textWrap")
    context.close()
    assert style == "persian"
    assert "balance" in headings


def test_the_layout_check_sees_a_phrase_read_backwards() -> None:
    text = "در (July 14) بود"
    boxes: list[Box] = [
        (char, 100.0 - 5 * index, 104.0 - 5 * index, 0.0, 10.0) for index, char in enumerate(text)
    ]  # every character right to left
    assert phrase_problem(text, boxes, Phrase("July 14", "ltr"), "rtl") == "out of order"
    assert visual(text, "rtl") != text


# --- on social cards ------------------------------------------------------------------------


def test_every_phrase_reads_intact_on_cards_drawn_without_raqm() -> None:
    broken = {}
    for sentence in SENTENCES:
        drawn = comparable(card_order(sentence.text, sentence.direction))  # type: ignore[arg-type]
        missing = [
            phrase.text
            for phrase in sentence.phrases
            if comparable(shaped(own_order(phrase, sentence.direction))) not in drawn
        ]
        if missing:
            broken[sentence.text] = missing
    assert broken == {}


def shaped(text: str) -> str:
    """Visual-order text with its Arabic letters in the joined forms a card draws."""
    return str(arabic_reshaper.reshape(text[::-1]))[::-1]


def test_running_heads_show_the_title_without_markup(corpus_site: BuildResult) -> None:
    """The running head is an attribute: a short phrase's span must not leak into it."""
    for lang, sentence in (("fa", PERSIAN[0]), ("en", ENGLISH[0])):
        document = pypdfium2.PdfDocument(str(corpus_site.out_dir / PDFS[lang]))
        pages = [page.get_textpage() for page in document]
        heads = [
            text.get_text_bounded(bottom=page.get_height() - 50)
            for page, text in zip(document, pages, strict=True)
        ]
        whole = "".join(text.get_text_range() for text in pages)
        document.close()
        assert '">' not in whole and "phrase" not in whole
        if lang == "fa":  # the English edition is too short to reach a right-hand page
            title = sorted(bare(word) for word in sentence.text.split())
            assert any(sorted(bare(word) for word in head.split()) == title for head in heads)
