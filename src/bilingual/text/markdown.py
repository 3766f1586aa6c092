"""Turn Markdown into HTML whose blocks carry their direction and whose mixed runs are isolated."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, Literal

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from bilingual.text.bidi import (
    balance_controls,
    dominant_direction,
    isolate_html,
    isolate_print,
)

Mode = Literal["html", "print"]
DIRECTED_BLOCKS = {"paragraph_open", "heading_open", "th_open", "td_open"}
LIST_OPENINGS = {"bullet_list_open", "ordered_list_open"}
LIST_CLOSINGS = {"bullet_list_close", "ordered_list_close"}
SANITIZER_TAGS = {
    "bdi",
    "bdo",
    "span",
    "div",
    "figure",
    "figcaption",
    "sup",
    "sub",
    "mark",
    "abbr",
    "del",
    "ins",
    "small",
    "img",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "audio",
    "video",
    "source",
}
# WordPress's image alignment and galleries, which imported posts keep.
SANITIZER_CLASSES = {
    "img": {"alignleft", "alignright", "aligncenter"},
    "figure": {"alignleft", "alignright", "aligncenter"},
    "div": {"gallery"},
}


RENDERED_BUDGET = 2_000_000
"""Characters (sources and HTML) a process keeps per direction and mode (a language's pages,
say) to render the same text again. A build renders a language's newest posts first, and those
are the ones its feeds show again: the first kept stay."""

Options = tuple[str, Mode, bool]  # direction, mode, allow_html


class _Rendered:
    """HTML already rendered in this process, by source text and options, up to a budget.

    HTML without a code block does not depend on the label of code blocks: it is kept for any.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.html: dict[tuple[str, Options, str | None], str] = {}
        self.spent: dict[Options, int] = {}

    def get(self, source: str, options: Options, code_label: str) -> str | None:
        found = self.html.get((source, options, None))
        return found if found is not None else self.html.get((source, options, code_label))

    def keep(self, source: str, options: Options, code_label: str, html: str) -> None:
        spent = self.spent.get(options, 0) + len(source) + len(html)
        if spent <= self.budget:
            self.html[source, options, code_label if "<pre" in html else None] = html
            self.spent[options] = spent


_RENDERED = _Rendered(RENDERED_BUDGET)


def render_markdown(
    source: str,
    direction: str,
    mode: Mode = "html",
    allow_html: bool = False,
    code_label: str = "Code",
) -> str:
    """Render ``source`` for a document written in ``direction`` ("ltr" or "rtl").

    Code blocks, which may scroll sideways, can take the keyboard focus and are named by
    ``code_label`` (in the page's language). The same text with the same options is rendered
    once per process (a post's page and its feeds show the same body).
    """
    options: Options = (direction, mode, allow_html)
    html = _RENDERED.get(source, options, code_label)
    if html is None:
        html = _render(source, *options, code_label)
        _RENDERED.keep(source, options, code_label, html)
    return html


def _render(source: str, direction: str, mode: Mode, allow_html: bool, code_label: str) -> str:
    parser = _parser(mode, allow_html)
    tokens = parser.parse(balance_controls(source))
    _mark_directions(tokens, direction)
    env = {"direction": direction, "code_label": code_label, "mode": mode}
    html: str = parser.renderer.render(tokens, parser.options, env)
    if not allow_html:
        return html
    # A <pre> written in HTML (imported posts have them) may scroll sideways too.
    focusable = {"tabindex": "0", "role": "group", "aria-label": code_label}
    return _sanitize(html, focusable if mode == "html" else {})


def count_blocks(source: str) -> int:
    """How many top-level blocks (paragraphs, headings, lists...) ``source`` has."""
    return sum(
        1
        for token in _parser("html", False).parse(source)
        if token.level == 0 and token.nesting in (0, 1)
    )


@cache
def _parser(mode: Mode, allow_html: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])
    isolate = isolate_html if mode == "html" else isolate_print
    parser.add_render_rule("text", _text_rule(isolate))
    parser.add_render_rule("code_inline", _code_inline_rule(mode))
    renderer = parser.renderer
    assert isinstance(renderer, RendererHTML)  # the default, whose rules we wrap
    for name in ("fence", "code_block"):
        parser.add_render_rule(name, _code_block_rule(renderer.rules[name]))
    return parser


def _mark_directions(tokens: Sequence[Token], direction: str) -> None:
    """Give blocks written in the other direction a ``dir`` and tell their text which it is."""
    for index, token in enumerate(tokens):
        if token.type not in DIRECTED_BLOCKS or index + 1 >= len(tokens):
            continue
        inline = tokens[index + 1]
        block_direction = dominant_direction(inline.content, direction)
        token.meta["direction"] = block_direction
        if block_direction != direction:
            token.attrSet("dir", block_direction)
        for child in inline.children or ():
            child.meta["direction"] = block_direction
    _mark_list_items(tokens, direction)


def _mark_list_items(tokens: Sequence[Token], direction: str) -> None:
    """Give a list item the direction of its first block, and a list that of all its items.

    The paragraphs of a tight list are not rendered, so their ``dir`` would be lost; and the
    marker of an item sits on the side its direction starts on.
    """
    lists: list[tuple[Token, set[str]]] = []
    for index, token in enumerate(tokens):
        if token.type in LIST_OPENINGS:
            lists.append((token, set()))
        elif token.type in LIST_CLOSINGS:
            opening, directions = lists.pop()
            if len(directions) == 1 and (only := directions.pop()) != direction:
                opening.attrSet("dir", only)
        elif token.type == "list_item_open" and index + 1 < len(tokens):
            item_direction = tokens[index + 1].meta.get("direction", direction)
            lists[-1][1].add(item_direction)
            if item_direction != direction:
                token.attrSet("dir", item_direction)


def _text_rule(isolate: Any) -> Any:
    def render_text(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        return str(isolate(token.content, token.meta.get("direction", env["direction"])))

    return render_text


def _code_inline_rule(mode: Mode) -> Any:
    def render_code(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        content = tokens[idx].content
        if mode == "print" and env["direction"] == "rtl":
            content = "\u2066" + content + "\u2069"
        return f'<code dir="ltr">{escapeHtml(content)}</code>'

    return render_code


def _code_block_rule(default: Any) -> Any:
    def render_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        opening = '<pre dir="ltr">'
        if env.get("mode") == "html":
            label = escapeHtml(env.get("code_label") or "Code")
            opening = f'<pre dir="ltr" tabindex="0" role="group" aria-label="{label}">'
        return str(default(tokens, idx, options, env)).replace("<pre>", opening, 1)

    return render_block


def _sanitize(html: str, pre_attributes: dict[str, str]) -> str:
    attributes = {
        "*": {"dir", "lang", "title"},
        "a": {"href"},
        "img": {"src", "alt", "width", "height"},
        "audio": {"src", "controls"},
        "video": {"src", "controls", "poster"},
        "source": {"src", "type"},
        "code": {"class"},  # language-python, from a fence's info string
        "pre": {"tabindex", "role", "aria-label"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan"},
    }
    return nh3.clean(
        html,
        tags=nh3.ALLOWED_TAGS | SANITIZER_TAGS,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        allowed_classes=SANITIZER_CLASSES,
        set_tag_attribute_values={"pre": pre_attributes} if pre_attributes else None,
    )
