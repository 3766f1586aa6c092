"""Time social cards: CPU time per card, image formats compared, a 200,000-character title.

    .venv/bin/python benchmarks/cards.py [--cards 400] [--rounds 5]

Times are CPU time of this process (time.process_time), which other work on the machine
disturbs less than wall time; each figure is the median of the rounds.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
import zlib
from collections.abc import Callable

from PIL import Image

from bilingual.publish.card_shapers import shaper_for
from bilingual.publish.cards import draw_card, layout_card, render_card
from bilingual.publish.views import Text
from bilingual.text.languages import Language, language

FA, EN = language("fa"), language("en")
SITE = {"fa": Text("خبرهای ساختگی", FA), "en": Text("Synthetic news", EN)}
HOST = "synthetic.example"
LONG_TITLE = (
    "محمدرضا حیدری: چرا دیپلمات‌های بیشتری در مخالفت با احمدی‌نژاد از سپاه پاسداران "
    "(IRGC) جدا خواهند شد"
)


def titles(count: int, first: int = 0) -> list[tuple[Text, Language]]:
    """Titles as the synthetic site has them, half Persian, and every tenth a long one; all
    different, as a site's are (a line drawn before is not drawn again)."""
    found = []
    for number in range(first, first + count // 2):
        digits = number * 37 % 9999
        persian = (
            f"{LONG_TITLE} {number}"
            if number % 10 == 0
            else f"گزارش {number} دربارهٔ رویدادهای {digits}"
        )
        found.append((Text(persian, FA), FA))
        found.append((Text(f"Report {number} on the events of {digits}", EN), EN))
    return found


def card_ms(cards: list[tuple[Text, Language]]) -> float:
    started = time.process_time()
    for title, lang in cards:
        render_card(SITE[lang.code], title, HOST, lang)
    return (time.process_time() - started) / len(cards) * 1000


def huge_title_seconds() -> float:
    """CPU seconds for the card of a 200,000-character title (words, and one long word)."""
    huge = ((LONG_TITLE + " ") * (200_000 // len(LONG_TITLE)))[:200_000]
    started = time.process_time()
    for text in (huge, "ب" * 200_000):
        render_card(SITE["fa"], Text(text, FA), HOST, FA)
    return (time.process_time() - started) / 2


def summary(count: int, rounds: int) -> dict[str, float]:
    """The median CPU milliseconds per card over ``rounds`` rounds of ``count`` new titles
    each (widths and lines are remembered: the same titles again would cost less), after a
    first card has loaded the fonts, and the slower of the two huge titles' seconds."""
    render_card(SITE["fa"], titles(2)[0][0], HOST, FA)
    rounds_ms = [card_ms(titles(count, first=10_000 + number * count)) for number in range(rounds)]
    return {"card_ms": statistics.median(rounds_ms), "huge_title_s": huge_title_seconds()}


def encoders() -> dict[str, Callable[[Image.Image], bytes]]:
    def pillow(**options: object) -> Callable[[Image.Image], bytes]:
        def encode(image: Image.Image) -> bytes:
            buffer = io.BytesIO()
            converted = image if options.get("format") == "PNG" else image.convert("RGB")
            converted.save(buffer, **options)  # type: ignore[arg-type]
            return buffer.getvalue()

        return encode

    return {
        "PNG, palette, zlib level 6 (before)": pillow(format="PNG", compress_level=6),
        "PNG, palette, zlib level 1": pillow(format="PNG", compress_level=1),
        "PNG, palette, run-length deflate": pillow(
            format="PNG", compress_level=1, compress_type=zlib.Z_RLE
        ),
        "JPEG, quality 85": pillow(format="JPEG", quality=85),
        "JPEG, quality 85, no chroma subsampling": pillow(format="JPEG", quality=85, subsampling=0),
        "WebP, lossy, quality 80, fastest": pillow(format="WEBP", quality=80, method=0),
        "WebP, lossless, fastest": pillow(format="WEBP", lossless=True, quality=0, method=0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cards = titles(args.cards)

    started = time.process_time()
    render_card(SITE["fa"], cards[0][0], HOST, FA)
    print(
        f"first card of a process (fonts loaded): {(time.process_time() - started) * 1000:.1f} ms"
    )
    per_card = [card_ms(cards[1:]) for _ in range(args.rounds)]
    print(
        f"one card, median of {args.rounds} rounds of {len(cards) - 1}: "
        f"{statistics.median(per_card):.2f} ms (rounds: "
        f"{', '.join(f'{value:.2f}' for value in per_card)}; target: at most 2 ms)"
    )
    twice = {render_card(SITE["fa"], Text(LONG_TITLE, FA), HOST, FA) for _ in range(2)}
    print(f"same title, same bytes: {len(twice) == 1}")

    huge = (LONG_TITLE + " ") * (200_000 // len(LONG_TITLE))
    for name, text in (("words", huge[:200_000]), ("one word", "ب" * 200_000)):
        started = time.process_time()
        render_card(SITE["fa"], Text(text, FA), HOST, FA)
        print(
            f"200,000-character title ({name}): {time.process_time() - started:.3f} s "
            "(target: well under 1 s)"
        )

    shaper = shaper_for()
    sample = titles(80, first=args.cards)
    images = [
        draw_card(layout_card(SITE[lang.code], title, HOST, lang, shaper), shaper)
        for title, lang in sample
    ]
    print(f"\nformats, {len(images)} cards drawn once, encoding only (median of {args.rounds}):")
    print("| format | ms per card | kB per card |\n|---|---:|---:|")
    for name, encode in encoders().items():
        times, sizes = [], []
        for _ in range(args.rounds):
            started = time.process_time()
            sizes = [len(encode(image)) for image in images]
            times.append((time.process_time() - started) / len(images) * 1000)
        print(f"| {name} | {statistics.median(times):.2f} | {sum(sizes) / len(sizes) / 1024:.1f} |")
    fresh = titles(80, first=2 * args.cards)  # titles not drawn yet: no line is remembered
    started = time.process_time()
    sizes = [len(render_card(SITE[lang.code], title, HOST, lang)) for title, lang in fresh]
    spent = (time.process_time() - started) / len(fresh) * 1000
    print(
        f"| bilingual's card: PNG, only the title's rows compressed (with layout and drawing) | "
        f"{spent:.2f} | {sum(sizes) / len(sizes) / 1024:.1f} |"
    )


if __name__ == "__main__":
    main()
