"""Turn templates into text for one language: its catalog, direction, dates and digits."""

from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.ext
from babel.support import NullTranslations
from jinja2.lexer import Token, TokenStream
from markupsafe import escape

from bilingual.errors import BilingualError, TemplateError
from bilingual.i18n.localization import load_translations
from bilingual.publish import urls
from bilingual.publish.compiled_templates import bytecode_cache, user_folder
from bilingual.site.layout import SiteLayout
from bilingual.site.resources import locales_dir, theme_dir
from bilingual.site.timestamps import rfc3339
from bilingual.text.bidi import (
    ISOLATES,
    PDI,
    balance_controls,
    isolate_html,
    isolate_print,
    isolate_unicode,
)
from bilingual.text.languages import Language
from bilingual.text.persian import format_date, format_number, localize_digits

Mode = Literal["html", "print"]
_NUMBER_FORMAT = re.compile(r"%\((\w+)\)d")
_BDI_START = re.compile(r"<bdi\b[^>]*>")
_BDI_DIRECTION = re.compile(r'\sdir="(ltr|rtl)"')
_FSI = "\u2068"


@dataclass(frozen=True)
class TemplateSet:
    """Where templates and catalogs come from: the site's folders override the theme's."""

    template_dirs: tuple[Path, ...]
    locale_dirs: tuple[Path, ...]
    compiled: Path | None = None
    """Where compiled templates are kept between processes; None: compile in each process."""

    def environment(self, language: Language, mode: Mode = "html") -> jinja2.Environment:
        return _environment(self, language, mode)


def template_set(site_root: Path, toolkit: str | None = None) -> TemplateSet:
    """The templates and catalogs of the site at ``site_root``, over the default theme's.

    Given the ``toolkit``'s digest, templates compiled once are kept for later processes.
    """
    layout = SiteLayout(site_root)
    return TemplateSet(
        template_dirs=tuple(d for d in (layout.templates, theme_dir()) if d.is_dir()),
        locale_dirs=tuple(d for d in (locales_dir(), layout.locales) if d.is_dir()),
        compiled=user_folder(toolkit) if toolkit is not None else None,
    )


_ENVIRONMENTS: dict[tuple[TemplateSet, Language, Mode], jinja2.Environment] = {}


def _environment(templates: TemplateSet, language: Language, mode: Mode) -> jinja2.Environment:
    key = (templates, language, mode)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = _make_environment(templates, language, mode)
    return _ENVIRONMENTS[key]


def compile_pages(templates: TemplateSet, language: Language) -> None:
    """Compile the templates of web pages and feeds now: in a build, before forking workers
    that would each compile them."""
    env = _environment(templates, language, "html")
    for name in env.list_templates(extensions=("html", "xml")):
        if not name.startswith(("print/", "email/", "static/")):
            env.get_template(name)


def forget_environments(templates: TemplateSet) -> None:
    """Drop the environments of ``templates``, e.g. after its catalogs changed on disk."""
    for key in [key for key in _ENVIRONMENTS if key[0] == templates]:
        del _ENVIRONMENTS[key]


def _make_environment(templates: TemplateSet, language: Language, mode: Mode) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(str(d)) for d in templates.template_dirs]
        ),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n", ConstantMessages],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a stat per template per page; a build forgets changed environments
    )
    if templates.compiled is not None:
        env.bytecode_cache = bytecode_cache(
            templates.compiled, language.code, templates.locale_dirs
        )
    translations = load_translations(language.code, templates.locale_dirs)
    _install_gettext(env, translations, language.code)
    isolate = _isolate_html if mode == "html" else _isolate_print
    env.filters.update(
        isolate=lambda text, direction=language.direction: isolate(str(text), direction),
        isolate_text=lambda text, direction=language.direction: isolate_text(str(text), direction),
        bdi_isolates=bdi_isolates,
        date=lambda value: _format_date(value, language.code),
        digits=lambda value: localize_digits(str(value), language.code),
        rfc3339=_rfc3339,
    )
    env.globals.update(lang=language, mode=mode, url=_url)
    return env


def bdi_isolates(html: str) -> str:
    """Put Unicode isolates inside each ``<bdi>`` of ``html``, as readers may drop the element.

    Feed readers sanitize what they show (feedparser keeps ``dir`` but removes ``<bdi>``), and
    the runs must still read intact there; in a browser, the isolate inside adds nothing.
    """

    def start(found: re.Match[str]) -> str:
        direction = _BDI_DIRECTION.search(found.group())
        return found.group() + (ISOLATES[direction.group(1)] if direction else _FSI)

    return _BDI_START.sub(start, str(html)).replace("</bdi>", f"{PDI}</bdi>")


# A list page shows the dates of its posts' pages again, and Babel takes its time.
@functools.lru_cache(maxsize=1 << 14)
def _format_date(value: dt.date, lang: str) -> str:
    return format_date(value, lang)


# The same titles, summaries and labels come back on many pages: isolate each once.
@functools.lru_cache(maxsize=1 << 16)
def _isolate_html(text: str, direction: str) -> str:
    return isolate_html(balance_controls(text), direction)


@functools.lru_cache(maxsize=1 << 16)
def _isolate_print(text: str, direction: str) -> str:
    return isolate_print(balance_controls(text), direction)


@functools.lru_cache(maxsize=1 << 16)
def isolate_text(text: str, direction: str) -> str:
    """The ``isolate_text`` filter: ``text`` with its runs in Unicode isolates, for places
    that show no markup (titles, attributes, feeds, share links); each text isolated once."""
    return isolate_unicode(balance_controls(text), direction)


class ConstantMessages(jinja2.ext.Extension):
    """Translate ``{{ _("message") }}`` and ``{{ gettext("message") }}`` when the template is
    compiled.

    An environment serves one language, and most messages have no variables: their text is
    known before any page is rendered, and Jinja then writes it, escaped, as the template's
    own text instead of calling gettext on every page. Only a message written out as it is
    (nothing applied to it: a filter would see text where the call gives escaped markup), and
    whose format needs no variables (the call reports that error in context), is translated.
    """

    FUNCTIONS = frozenset({"_", "gettext"})
    SHAPE = ("variable_begin", "name", "lparen", "string", "rparen", "variable_end")

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        translate: Callable[[str], str | None] | None = getattr(
            self.environment, "constant_message", None
        )
        if translate is None:
            yield from stream
            return
        window: list[Token] = []
        for token in stream:
            window.append(token)
            if len(window) < len(self.SHAPE):
                continue
            text = self._constant(window, translate)
            if text is None:
                yield window.pop(0)
                continue
            begin, name, _, _, _, end = window
            yield from (begin, Token(name.lineno, "string", text), end)
            window.clear()
        yield from window

    def _constant(self, window: list[Token], translate: Callable[[str], str | None]) -> str | None:
        if tuple(token.type for token in window) != self.SHAPE:
            return None
        return translate(window[3].value) if window[1].value in self.FUNCTIONS else None


def _install_gettext(env: jinja2.Environment, translations: NullTranslations, lang: str) -> None:
    """Like Jinja's new-style gettext, but numbers come out in the language's digits."""

    def constant_message(message: str) -> str | None:
        try:
            return _format(translations.gettext(message), {}, lang, autoescape=False)
        except (KeyError, TypeError, ValueError):
            return None  # the call at render time says what is wrong, where

    # Messages translated before compiling may still be called with a computed value.
    @functools.lru_cache(maxsize=4096)
    def constant(message: str, autoescape: bool) -> str:
        return _format(translations.gettext(message), {}, lang, autoescape)

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        autoescape = bool(context.eval_ctx.autoescape)
        if not variables:
            return constant(message, autoescape)
        return _format(translations.gettext(message), variables, lang, autoescape)

    @jinja2.pass_context
    def ngettext(
        context: jinja2.runtime.Context, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        return _format(
            translations.ngettext(singular, plural, num),
            variables,
            lang,
            bool(context.eval_ctx.autoescape),
        )

    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.extend(constant_message=constant_message)
    env.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)


def _format(template: str, variables: dict[str, Any], lang: str, autoescape: bool) -> str:
    numbers = {
        name: format_number(value, lang)
        for name, value in variables.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }
    template = _NUMBER_FORMAT.sub(
        lambda match: f"%({match[1]})s" if match[1] in numbers else match[0], template
    )
    values = {**variables, **numbers}
    if autoescape:
        # A catalog is input too: its markup is escaped like any other text.
        return escape(template) % values
    return template % values


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, path: str) -> str:
    """Link from the page being rendered to ``path`` (an output path)."""
    return urls.relative(context["page_path"], path)


def _rfc3339(value: dt.date | dt.datetime) -> str:
    return rfc3339(value)  # with the time and zone given, else midnight UTC


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render ``name``, turning Jinja's errors into a TemplateError with file and line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"template syntax error: {error.message}", error.filename or name, error.lineno
        ) from None
    except jinja2.TemplateNotFound as error:
        filename, line = _template_location(error)  # the template that includes or extends it
        raise TemplateError(f"template not found: {error.name}", filename or name, line) from None
    except jinja2.TemplateError as error:
        filename, line = _template_location(error)
        raise TemplateError(f"template error: {error}", filename or name, line) from None
    except BilingualError:
        raise
    except Exception as error:  # an expression in the template failed, e.g. 1/0
        filename, line = _template_location(error)
        raise TemplateError(
            f"template error: {type(error).__name__}: {error}", filename or name, line
        ) from None


def _template_location(error: BaseException) -> tuple[str | None, int | None]:
    """Jinja rewrites tracebacks so that template frames carry the template's file and line."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".css", ".j2")):
            return frame.filename, frame.lineno
    return None, None
