"""Turn `bilingual email`, `subscribers` and `newsletter` into e-mails, list changes and sends."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from bilingual.atomic import write_atomically
from bilingual.cli.output import stderr, stdout
from bilingual.errors import MailError
from bilingual.mail.edition import EditionMaker
from bilingual.mail.ledger import Record
from bilingual.mail.newsletter import Delivery, SendReport, send_newsletter
from bilingual.mail.settings import SECURITIES, smtp_settings
from bilingual.mail.smtp import Reply
from bilingual.mail.subscribers import (
    BILINGUAL,
    BOTH,
    Subscriber,
    SubscriberList,
    add,
    check_address,
    check_language,
    import_list,
    open_list,
    remove,
)
from bilingual.site.config import load_config

LIST_NAME = "subscribers.csv"
SITE_ARGUMENT = click.argument(
    "site", type=click.Path(path_type=Path, file_okay=False, exists=True), default="."
)
LIST_OPTION = click.option(
    "--list",
    "list_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="BILINGUAL_SUBSCRIBERS",
    help=f"The subscriber list: .csv, or .sqlite/.db for SQLite (default: SITE/{LIST_NAME}).",
)


def say(text: str) -> None:
    stdout.print(text, markup=False, highlight=False, soft_wrap=True)


def warn(text: str) -> None:
    stderr.print(text, markup=False, highlight=False, soft_wrap=True)


@click.command()
@SITE_ARGUMENT
@click.option("--post", "slug", required=True, help="The post's slug (its folder's name).")
@click.option(
    "--lang",
    default=None,
    metavar="LANG|bilingual",
    help="The edition's language, or `bilingual` for every language in one e-mail "
    "(default: the site's default language).",
)
@click.option(
    "--to",
    "address",
    default="",
    help="The reader's address, for the To: header and the unsubscribe link.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="The .eml file to write.",
)
def email(site: Path, slug: str, lang: str | None, address: str, out: Path) -> None:
    """Write the e-mail edition of a post of SITE as an .eml file (opens in any mail client)."""
    maker = EditionMaker.for_site(site)
    codes = _edition_languages(maker, slug, lang)
    recipient = _address(address) if address else ""
    message = maker.message(maker.edition(slug, codes), recipient)
    write_atomically(out, message.as_bytes())
    say(f"Wrote the {'+'.join(codes)} e-mail of {slug} -> {out}")


def _edition_languages(maker: EditionMaker, slug: str, lang: str | None) -> list[str]:
    if lang == BILINGUAL:
        post = maker.post(slug)
        return [code for code in maker.site.config.site.codes if post.has(code)]
    return [lang or maker.site.config.site.default_language.code]


def _address(value: str) -> str:
    try:
        return check_address(value)
    except ValueError as error:
        raise MailError(str(error)) from None


# ----- subscribers


@click.group()
def subscribers() -> None:
    """Keep the list of e-mail subscribers (CSV or SQLite)."""


def _store(site: Path, list_path: Path | None) -> tuple[SubscriberList, tuple[str, ...]]:
    codes = load_config(site).site.codes
    return open_list(list_path or site / LIST_NAME, codes), codes


@subscribers.command(name="add")
@click.argument("address")
@SITE_ARGUMENT
@LIST_OPTION
@click.option(
    "--lang",
    "language",
    default=BOTH,
    show_default=True,
    metavar="LANG|both|bilingual",
    help="A language of the site; `both`: one e-mail per language; "
    "`bilingual`: every language in one e-mail.",
)
@click.option(
    "--date",
    "subscribed",
    type=click.DateTime(["%Y-%m-%d"]),
    help="When they subscribed (default: today); older posts are not sent to them.",
)
@click.option(
    "--confirmed/--unconfirmed",
    default=True,
    show_default=True,
    help="Whether they confirmed; only confirmed readers are sent anything.",
)
def add_command(
    address: str,
    site: Path,
    list_path: Path | None,
    language: str,
    subscribed: dt.datetime | None,
    confirmed: bool,
) -> None:
    """Add ADDRESS to the subscribers of SITE."""
    store, codes = _store(site, list_path)
    try:
        subscriber = Subscriber(
            check_address(address),
            check_language(language, codes),
            subscribed.date() if subscribed else dt.date.today(),
            confirmed,
        )
    except ValueError as error:
        raise MailError(str(error)) from None
    add(store, subscriber)
    say(f"Added {subscriber.address} ({subscriber.language}) -> {store.path}")


@subscribers.command(name="remove")
@click.argument("address")
@SITE_ARGUMENT
@LIST_OPTION
def remove_command(address: str, site: Path, list_path: Path | None) -> None:
    """Remove ADDRESS from the subscribers of SITE."""
    store, _ = _store(site, list_path)
    removed = remove(store, address)
    say(f"Removed {removed.address} -> {store.path}")


@subscribers.command(name="list")
@SITE_ARGUMENT
@LIST_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_command(site: Path, list_path: Path | None, as_json: bool) -> None:
    """List the subscribers of SITE."""
    store, _ = _store(site, list_path)
    found = store.read()
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "address": s.address,
                        "language": s.language,
                        "subscribed": s.subscribed.isoformat(),
                        "confirmed": s.confirmed,
                    }
                    for s in found
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for s in found:
        say(
            f"{s.address:<32}  {s.language:<9}  {s.subscribed.isoformat()}  "
            f"{'confirmed' if s.confirmed else 'unconfirmed'}"
        )
    confirmed = sum(s.confirmed for s in found)
    say(f"{len(found)} subscriber{'s' * (len(found) != 1)}, {confirmed} confirmed ({store.path})")


@subscribers.command(name="import")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@SITE_ARGUMENT
@LIST_OPTION
@click.option(
    "--lang",
    "language",
    default=None,
    metavar="LANG|both|bilingual",
    help="For rows without a language column (default: both).",
)
@click.option(
    "--confirmed", is_flag=True, help="Count rows without a confirmed/status column as confirmed."
)
def import_command(
    source: Path, site: Path, list_path: Path | None, language: str | None, confirmed: bool
) -> None:
    """Add the readers of a CSV file (another service's export, or one address a line).

    Columns are found by name (email, language, subscribed, confirmed...). Addresses already on
    the list are left as they are; a bad row stops the import, with nothing added.
    """
    store, codes = _store(site, list_path)
    report = import_list(store, source, codes, language, confirmed)
    for note in report.notes:
        warn(f"note: {note}")
    say(
        f"Imported {len(report.added)} subscriber{'s' * (len(report.added) != 1)} "
        f"({len(report.already)} already on the list) -> {store.path}"
    )


# ----- newsletter


@click.group()
def newsletter() -> None:
    """Send new posts to the subscribers by e-mail."""


@newsletter.command()
@SITE_ARGUMENT
@LIST_OPTION
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="What was sent (default: beside the list, NAME.ledger.sqlite).",
)
@click.option("--dry-run", is_flag=True, help="Only say what would be sent.")
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Send posts dated from this day on to every reader "
    "(default: those dated on or after the day each reader subscribed).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0),
    default=None,
    help="Messages per minute (default: newsletter.rate, 60; 0: no limit).",
)
@click.option("--smtp-host", help="The SMTP server (default: newsletter.smtp_host).")
@click.option(
    "--smtp-port",
    type=click.IntRange(1, 65535),
    help="Its port (default: newsletter.smtp_port, else 587, 465 or 25).",
)
@click.option(
    "--security",
    type=click.Choice(SECURITIES),
    help="starttls, ssl (SMTPS) or none (a server on this machine only).",
)
@click.option(
    "--resend-unconfirmed",
    is_flag=True,
    help="Send again the messages a stopped run may or may not have delivered.",
)
def send(
    site: Path,
    list_path: Path | None,
    ledger_path: Path | None,
    dry_run: bool,
    since: dt.datetime | None,
    rate: float | None,
    smtp_host: str | None,
    smtp_port: int | None,
    security: str | None,
    resend_unconfirmed: bool,
) -> None:
    """Send every post not sent yet to each confirmed subscriber of SITE, in their languages.

    The user name and password come from BILINGUAL_SMTP_USER and BILINGUAL_SMTP_PASSWORD. A
    ledger records every message before and after it goes out: a stopped or repeated run never
    sends one twice, and takes up where the last one stopped.
    """
    config = load_config(site)
    list_file = list_path or site / LIST_NAME
    server = None if dry_run else smtp_settings(config, smtp_host, smtp_port, security)
    report = send_newsletter(
        site,
        list_file,
        ledger_path or list_file.with_name(list_file.stem + ".ledger.sqlite"),
        server,
        config.newsletter.rate if rate is None else rate,
        since=since.date() if since else None,
        dry_run=dry_run,
        resend_unconfirmed=resend_unconfirmed,
        listener=None if dry_run else _tell,
    )
    _summary(report, dry_run)


def _describe(delivery: Delivery) -> str:
    return f"{delivery.edition.key:<5}  {delivery.edition.post.slug}  {delivery.subscriber.address}"


def _tell(delivery: Delivery, outcome: str, reply: Reply | None) -> None:
    detail = f"  {reply}" if reply is not None and outcome != "accepted" else ""
    say(f"{'sent' if outcome == 'accepted' else outcome:<8}  {_describe(delivery)}{detail}")


def _summary(report: SendReport, dry_run: bool) -> None:
    if dry_run:
        for delivery in report.planned:
            say(f"would send  {_describe(delivery)}")
        say(
            f"Would send {len(report.planned)} message{'s' * (len(report.planned) != 1)} "
            "(dry run: nothing sent)."
        )
    elif not report.planned:
        say("Nothing to send: the ledger has every post due to every confirmed subscriber.")
    else:
        say(
            f"Sent {len(report.sent)} message{'s' * (len(report.sent) != 1)}; "
            f"{len(report.refused)} refused, {len(report.deferred)} deferred."
        )
    for delivery, reply in report.refused:
        warn(
            f"refused: {delivery.subscriber.address} ({delivery.edition.key}, "
            f"{delivery.edition.post.slug}): {reply}"
        )
    if report.deferred:
        warn(
            f"note: {len(report.deferred)} deferred by the server for now; a later run "
            "tries them again"
        )
    _doubts(report.in_doubt, report.lost)
    if report.unconfirmed:
        warn(
            f"note: {report.unconfirmed} unconfirmed subscriber"
            f"{'s' * (report.unconfirmed != 1)} not sent anything"
        )


def _doubts(in_doubt: list[Record], lost: list[Delivery]) -> None:
    count = len(in_doubt) + len(lost)
    if not count:
        return
    warn(
        f"note: {count} message{'s' * (count != 1)} stopped while going out and may have "
        "arrived; not sent again (--resend-unconfirmed sends them):"
    )
    for record in in_doubt:
        warn(f"  {record.key.edition:<5}  {record.key.post}  {record.key.address}")
    for delivery in lost:
        warn(f"  {_describe(delivery)}")
