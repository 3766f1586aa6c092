"""Turn a preview request into a post's e-mail edition shown beside its web page.

``/__bilingual__/email/`` lists the posts, ``/__bilingual__/email/LANG/SLUG/`` shows the web
page and the e-mail side by side (the e-mail at 600 px, as mail clients show it), and
``.../LANG/SLUG/message.html`` is the e-mail's HTML part itself. Each request reads the site
as it is now, so the preview follows every edit.
"""

from __future__ import annotations

from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote, unquote

from markupsafe import Markup

from bilingual.errors import BilingualError
from bilingual.mail.edition import EditionMaker
from bilingual.publish import urls

PREFIX = "/__bilingual__/email/"
MESSAGE = "message.html"
STYLE = """body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#eef1ef;color:#1d2327}
header{padding:8px 16px;background:#1d2327;color:#fff}header a{color:#9fd9b9}
main{display:flex;gap:16px;padding:16px;align-items:stretch;height:calc(100vh - 72px)}
figure{margin:0;display:flex;flex-direction:column;flex:1;min-width:0}
figure.mail{flex:0 0 620px}figcaption{font-size:13px;color:#5b6770;padding:0 0 4px}
iframe{flex:1;border:1px solid #c8d1cc;background:#fff;width:100%}
li{margin:4px 0}.error{white-space:pre-wrap;color:#a4161a}"""


def preview(site_root: Path, path: str) -> tuple[HTTPStatus, bytes]:
    """The preview page for the URL ``path`` (which starts with PREFIX)."""
    parts = [unquote(part) for part in path[len(PREFIX) :].split("/") if part]
    try:
        maker = EditionMaker.for_site(site_root)
        if not parts:
            return HTTPStatus.OK, _page("E-mail editions", _index(maker))
        if len(parts) == 2:
            return HTTPStatus.OK, _side_by_side(maker, *parts)
        if len(parts) == 3 and parts[2] == MESSAGE:
            return HTTPStatus.OK, maker.html(maker.edition(parts[1], [parts[0]])).encode()
    except BilingualError as error:
        return HTTPStatus.NOT_FOUND, _page(
            "No e-mail edition",
            Markup('<p class="error">{}</p><p><a href="{}">All e-mail editions</a></p>').format(
                str(error), PREFIX
            ),
        )
    return HTTPStatus.NOT_FOUND, _page(
        "Not found", Markup('<p><a href="{}">All e-mail editions</a></p>').format(PREFIX)
    )


def _index(maker: EditionMaker) -> Markup:
    items = []
    for post in maker.site.posts:
        links = Markup(" · ").join(
            Markup('<a href="{}" lang="{}">{}</a>').format(
                f"{PREFIX}{code}/{quote(post.slug)}/", code, post.title[code]
            )
            for code in maker.site.config.site.codes
            if post.has(code)
        )
        items.append(Markup("<li>{}: {}</li>").format(post.slug, links))
    return Markup("<ul>{}</ul>").format(Markup("").join(items))


def _side_by_side(maker: EditionMaker, code: str, slug: str) -> bytes:
    edition = maker.edition(slug, [code])
    web = "/" + urls.entry(edition.post, code).removesuffix("index.html")
    body = Markup(
        '<main><figure><figcaption>Web page: <a href="{web}">{web}</a></figcaption>'
        '<iframe src="{web}" title="Web page"></iframe></figure>'
        '<figure class="mail"><figcaption>E-mail ({subject}) · <a href="{mail}">open alone</a>'
        '</figcaption><iframe src="{mail}" title="E-mail"></iframe></figure></main>'
    ).format(
        web=web, mail=f"{PREFIX}{code}/{quote(slug)}/{MESSAGE}", subject=maker.subject(edition)
    )
    return _page(f"E-mail edition of {slug} ({code})", body, wide=True)


def _page(title: str, body: Markup, wide: bool = False) -> bytes:
    header = Markup('<header>{} · <a href="{}">all e-mail editions</a></header>').format(
        title, PREFIX
    )
    content = body if wide else Markup('<div style="padding:16px">{}</div>').format(body)
    return (
        Markup(
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{}</title>'
            "<style>{}</style></head><body>{}{}</body></html>"
        ).format(title, Markup(STYLE), header, content)
    ).encode()
