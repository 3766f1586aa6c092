"""Turn a post into its e-mail edition: a MIME message with a plain text and an HTML part.

An edition is a post in one language, or in several one after the other (a bilingual e-mail).
Each language's part is rendered with that language's catalog, direction and dates; the
result is the same for the same post, reader and date.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from bilingual.errors import ContentError
from bilingual.mail.html import mail_html
from bilingual.mail.plaintext import mark_line, mark_lines, markdown_text, wrap
from bilingual.mail.settings import ListSettings, list_settings
from bilingual.publish import urls
from bilingual.publish.templating import TemplateSet, render_template, template_set
from bilingual.publish.views import EntryView, entry_view, site_text
from bilingual.site.model import Entry, Site
from bilingual.site.reader import load_site
from bilingual.text.bidi import isolate_unicode
from bilingual.text.languages import Language

SEPARATOR = "\n\n" + "─" * 24 + "\n\n"
BODY = "\ue000"  # where the text template puts the body, which is marked on its own


@dataclass(frozen=True)
class Edition:
    """A post in the languages of one e-mail: one, or several for a bilingual e-mail."""

    post: Entry
    languages: tuple[Language, ...]

    @property
    def key(self) -> str:
        """The ledger's name for it: "fa", or "en+fa" for a bilingual e-mail."""
        return "+".join(lang.code for lang in self.languages)


class EditionMaker:
    """Render the e-mail editions of one site's posts (templates and catalogs loaded once)."""

    def __init__(self, site: Site, templates: TemplateSet, settings: ListSettings) -> None:
        self.site = site
        self.templates = templates
        self.settings = settings
        self._views: dict[tuple[str, str], EntryView] = {}

    @classmethod
    def for_site(cls, root: Path | str) -> EditionMaker:
        site = load_site(root)
        return cls(site, template_set(Path(root)), list_settings(site.config))

    def edition(self, slug: str, codes: Sequence[str]) -> Edition:
        """The post ``slug`` in the languages ``codes``; a ContentError names what is missing."""
        post = self.post(slug)
        languages = []
        for code in codes:
            if code not in self.site.config.site.codes:
                raise ContentError(
                    f"unknown language {code!r}: the site's languages are "
                    f"{', '.join(self.site.config.site.codes)}"
                )
            if not post.has(code):
                raise ContentError(
                    f"post {slug!r} has no version in {code!r}",
                    post.sources[post.languages[0]].parent,
                )
            languages.append(self.site.config.site.language(code))
        return Edition(post, tuple(languages))

    def post(self, slug: str) -> Entry:
        for post in self.site.posts:
            if post.slug == slug:
                return post
        known = [post.slug for post in self.site.posts]
        close = difflib.get_close_matches(slug, known, n=1)
        raise ContentError(
            f"no published post {slug!r}",
            self.site.config.layout.posts,
            hint=f"did you mean {close[0]!r}?" if close else None,
        )

    # ----- the parts

    def web_url(self, post: Entry, lang: Language) -> str:
        return urls.absolute(self.site.config.site.base_url, urls.entry(post, lang.code))

    def subject(self, edition: Edition) -> str:
        """The post's title, marked so that mail clients that look at its first letter (most
        do) show a Persian title that starts with "IRGC" right to left."""
        first = edition.languages[0]
        if len(edition.languages) == 1:
            return mark_line(edition.post.title[first.code], first.direction)
        titles = " · ".join(edition.post.title[lang.code] for lang in edition.languages)
        return isolate_unicode(titles, first.direction)

    def html(self, edition: Edition, address: str = "") -> str:
        first = edition.languages[0]
        sections = Markup(
            "".join(
                self._render(lang, "email/section.html", self._section(edition.post, lang))
                for lang in edition.languages
            )
        )
        footers = Markup(
            "".join(
                self._render(lang, "email/footer.html", self._footer(lang, address))
                for lang in edition.languages
            )
        )
        mastheads = [
            {
                "title": site_text(self.site, "title", lang),
                "lang": lang,
                "url": urls.absolute(self.site.config.site.base_url, urls.home(lang.code)),
            }
            for lang in edition.languages
        ]
        page = self._render(
            first,
            "email/post.html",
            {
                "subject": self.subject(edition),
                "preheader": edition.post.summary.get(first.code),
                "mastheads": mastheads,
                "sections": sections,
                "footers": footers,
                "page_path": urls.entry(edition.post, first.code),
            },
        )
        languages: dict[str, str] = {
            lang.direction: lang.code for lang in reversed(self.site.config.site.languages)
        }
        return mail_html(page, self.web_url(edition.post, first), languages)

    def text(self, edition: Edition, address: str = "") -> str:
        sections = []
        for lang in edition.languages:
            view = self._view(edition.post, lang)
            web_url = self.web_url(edition.post, lang)
            section = self._render(
                lang,
                "email/section.txt",
                {
                    "title": wrap(view.title),
                    "date": view.date,
                    "author": view.author,
                    "summary": wrap(view.summary or ""),
                    "body": BODY,
                    "web_url": web_url,
                },
            )
            footer = self._render(
                lang,
                "email/footer.txt",
                {
                    "site_title": str(site_text(self.site, "title", lang)),
                    "unsubscribe": self.settings.unsubscribe_link(address, lang.code),
                },
            )
            # The body comes marked (its code stays left to right); the rest is marked here.
            before, has_body, after = f"{section.strip()}\n\n{footer.strip()}".partition(BODY)
            body = (
                markdown_text(
                    edition.post.body.get(lang.code) or "", lang.code, web_url, lang.direction
                )
                if has_body
                else ""
            )
            sections.append(
                mark_lines(before, lang.direction) + body + mark_lines(after, lang.direction)
            )
        return SEPARATOR.join(sections) + "\n"

    def message(
        self, edition: Edition, address: str = "", date: dt.datetime | None = None
    ) -> EmailMessage:
        """The whole e-mail to ``address`` (no To: header without one)."""
        codes = [lang.code for lang in edition.languages]
        message = EmailMessage(policy=policy.SMTP)
        message["From"] = self.settings.sender
        if address:
            message["To"] = address
        message["Subject"] = self.subject(edition)
        message["Date"] = format_datetime(date or dt.datetime.now(dt.UTC))
        message["Message-ID"] = self.message_id(edition, address)
        message["List-Id"] = self._list_id(edition.languages[0])
        message["List-Unsubscribe"] = self.settings.unsubscribe_header(address, codes[0])
        if self.settings.one_click:
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(self.text(edition, address))
        message.add_alternative(self.html(edition, address), subtype="html")
        message["Content-Language"] = ", ".join(codes)  # set_content drops Content-* headers
        return message

    def message_id(self, edition: Edition, address: str) -> str:
        """The same for the same post, languages and reader, so a copy is recognised as one."""
        seed = f"{edition.post.slug}\0{edition.key}\0{address.lower()}"
        return f"<{hashlib.sha256(seed.encode()).hexdigest()[:32]}@{self.settings.host}>"

    # ----- helpers

    def _list_id(self, lang: Language) -> str:
        title = str(site_text(self.site, "title", lang) or "")
        label = f"newsletter.{self.settings.host}"
        return f"{title} <{label}>" if title.isascii() else f"<{label}>"

    def _view(self, post: Entry, lang: Language) -> EntryView:
        key = (post.slug, lang.code)
        if key not in self._views:
            self._views[key] = entry_view(self.site, post, lang, set())
        return self._views[key]

    def _section(self, post: Entry, lang: Language) -> dict[str, Any]:
        return {
            "entry": self._view(post, lang),
            "web_url": self.web_url(post, lang),
            "page_path": urls.entry(post, lang.code),
        }

    def _footer(self, lang: Language, address: str) -> dict[str, Any]:
        return {
            "site_title": site_text(self.site, "title", lang),
            "unsubscribe": self.settings.unsubscribe_link(address, lang.code),
            "page_path": urls.home(lang.code),
        }

    def _render(self, lang: Language, name: str, context: dict[str, Any]) -> str:
        return render_template(self.templates.environment(lang), name, context)
