"""Profile a first build of a synthetic site: where its time goes, by step, renderer and library.

    .venv/bin/python benchmarks/profile_build.py [--posts 1000] [--search] [--pdf] [--save F]

The build runs with one job, so that one profile (cProfile, timing CPU, which other work on
the machine disturbs less than wall time) sees every step; worker processes do the same
rendering, shared out. Prints the steps of ``build()`` (the functions of
bilingual.publish.build that it calls), each renderer's ``render``, the time spent inside each
package (own time, not counting what it calls in other packages) and the costliest functions.
The profiler slows Python code down more than C code: read the figures as shares. Waiting
(disk, the Pagefind process) is the difference between the wall and CPU times printed first.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
Key = tuple[str, int, str]


def package(filename: str) -> str:
    """The package a function belongs to: bilingual.<sub>, a library, or the C built-ins."""
    path = filename.replace("\\", "/")
    if "/bilingual/" in path:
        parts = path.rsplit("/bilingual/", 1)[1].split("/")
        return "bilingual." + (parts[0] if len(parts) > 1 else parts[0].removesuffix(".py"))
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
    if filename == "~":
        return "built-in functions (C)"
    return "standard library"


def report(stats: pstats.Stats) -> None:
    table: dict[Key, tuple[int, int, float, float, dict[Key, object]]]
    table = stats.stats  # type: ignore[attr-defined]
    total: float = stats.total_tt  # type: ignore[attr-defined]

    def show(title: str, rows: Sequence[tuple[str, float]]) -> None:
        print(f"\n| {title} | s | share |\n|---|---:|---:|")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")

    entry = [key for key in table if key[0].endswith("publish/build.py") and key[2] == "_build"]
    steps = [
        (f"`{key[2]}`", row[3])
        for key, row in table.items()
        if key[0].endswith("publish/build.py") and any(caller in entry for caller in row[4])
    ]
    show("step of the build (cumulative)", sorted(steps, key=lambda row: -row[1]))
    renders = [
        (f"`{Path(key[0]).stem}` renderer", row[3])
        for key, row in table.items()
        if "publish/renderers/" in key[0]
        and key[2] == "render"
        and not key[0].endswith("__init__.py")
    ]
    show("renderer (cumulative)", sorted(renders, key=lambda row: -row[1]))
    own: dict[str, float] = {}
    for key, row in table.items():
        own[package(key[0])] = own.get(package(key[0]), 0.0) + row[2]
    show("package (own time)", sorted(own.items(), key=lambda item: -item[1])[:14])
    functions = sorted(table.items(), key=lambda item: -item[1][2])[:15]
    show(
        "function (own time)", [(f"`{package(key[0])}` {key[2]}", row[2]) for key, row in functions]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--search", action="store_true", help="make the search index too")
    parser.add_argument("--pdf", action="store_true", help="write the PDF editions too")
    parser.add_argument("--save", type=Path, help="keep the profile (for snakeviz, gprof2dot)")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from synthetic import write_site

    with tempfile.TemporaryDirectory(prefix="bilingual-profile-") as temporary:
        site = write_site(Path(temporary) / "site", args.posts, search=args.search)
        profile = cProfile.Profile(time.process_time)
        started, cpu = time.perf_counter(), time.process_time()
        profile.enable()
        from bilingual.publish.build import build

        build(site, pdf=args.pdf, jobs=1)
        profile.disable()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    stats = pstats.Stats(profile)
    print(
        f"first build of {args.posts:,} posts, one job, under cProfile: {wall:.1f} s, "
        f"{cpu:.1f} s of CPU (imports included)"
    )
    report(stats)
    if args.save:
        stats.dump_stats(args.save)


if __name__ == "__main__":
    main()
