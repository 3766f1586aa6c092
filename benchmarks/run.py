"""Measure the build against the performance targets: Hugo's times on the same corpus.

    .venv/bin/python benchmarks/run.py [--posts 1000] [--rounds 3] [--big 5000] [--pdf-posts 40]
    .venv/bin/python benchmarks/run.py --only-pdfs [--pdf-posts 40] [--rounds 3]

The sites have no search index, as the Hugo site has none (one row adds it). Every build
runs in a new process, timed from outside from start to end (wall time, and the
CPU time of the process and its workers). Hugo (Debian's `hugo`: `apt-get install hugo`)
builds the same corpus (hugo.py); its builds alternate with the toolkit's, round after round,
and every figure is the median of the rounds. Each target prints as a figure, as a multiple of
Hugo's time where it is one, and as a ratio to the target (at most 1: met). Peak memory is the
largest sum of the proportional set sizes (PSS) of the build process and its workers, sampled
every 50 ms in separate runs (sampling slows a build down). "Pages only" leaves the social
cards (PNG) out of the plan. Nothing here is a test: the figures depend on the machine and its
load, which the output reports.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON = sys.executable
BILINGUAL = str(Path(PYTHON).with_name("bilingual"))

# ----- run in a child process: one build, its time and memory, as JSON on the last line

CHILD = r"""
import json, os, resource, sys, threading, time
from pathlib import Path

def pss_of_tree(pid):
    total, waiting = 0, [pid]
    while waiting:
        current = waiting.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    waiting += [int(child) for child in handle.read().split()]
        except OSError:
            pass
    return total

peak = [0]
stop = threading.Event()
def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], pss_of_tree(os.getpid()))
        stop.wait(0.05)

options = json.loads(sys.argv[1])
thread = threading.Thread(target=sample, daemon=True)
if options.pop("memory", False):  # sampling costs time: only where memory is the figure
    thread.start()
started = time.perf_counter()
import importlib
build_module = importlib.import_module("bilingual.publish.build")
if options.pop("pages_only", False):  # the same build without its social cards
    planning = importlib.import_module("bilingual.publish.build_plan")
    plan = planning.plan_site
    planning.plan_site = lambda *a, **k: [o for o in plan(*a, **k) if o.renderer != "card"]
if options.pop("stub_pdf", False):  # the same build, each PDF's bytes made at once
    from bilingual.publish.renderers.pdf import PdfRenderer
    PdfRenderer.render = lambda self, output: b"%PDF-1.7 " + output.path.encode()
imported = time.perf_counter()
result = build_module.build(options.pop("site"), **options)
finished = time.perf_counter()
stop.set()
if thread.is_alive():
    thread.join()
print(json.dumps({
    "seconds": finished - imported, "with_imports": finished - started,
    "build_seconds": result.seconds, "rendered": len(result.rendered),
    "written": len(result.written), "outputs": len(result.outputs),
    "pdfs_rendered": sum(1 for p in result.rendered if p.endswith(".pdf")),
    "peak_pss_mb": peak[0] / 1024,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""

# The same HTML and stylesheets as the build's PDFs, written out by one process...
PREPARE_PDF = r"""
import json, sys
from pathlib import Path
from bilingual.site.reader import load_site
from bilingual.publish.renderers.pdf import post_html
from bilingual.publish.pdf.document import BASE_STYLESHEET, PAGE_STYLESHEET, page_digits, template_file
from bilingual.publish.templating import render_template, template_set
root = Path(sys.argv[1])
site = load_site(root)
templates = template_set(root)
base, page = template_file(templates, BASE_STYLESHEET), template_file(templates, PAGE_STYLESHEET)
jobs = []
for post in site.posts:
    for code in post.languages:
        lang = site.config.site.language(code)
        page_css = render_template(templates.environment(lang, mode="print"), PAGE_STYLESHEET,
                                   {"pdf": site.config.pdf, "digits": page_digits(lang)})
        jobs.append({"html": post_html(site, templates, post, lang),
                     "base": post.sources[code].resolve().parent.as_uri() + "/",
                     "css": [[base.read_text(encoding="utf-8"), base.parent.as_uri() + "/"],
                             [page_css, page.parent.as_uri() + "/"]]})
Path(sys.argv[2]).write_text(json.dumps(jobs), encoding="utf-8")
"""

# ... and turned into PDFs by WeasyPrint alone in a new process: cold (import, fonts, every PDF
# written to a file), then warm (the same again, per PDF). A third argument "tagged" writes
# PDF/UA-1, as the build does; "once" stops after the cold run.
RAW_PDF = r"""
import json, sys, time
from pathlib import Path
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
options = {"pdf_variant": "pdf/ua-1"} if "tagged" in sys.argv[3:] else {}
sheets = {}
out = Path(sys.argv[2])
def run(tag):
    pages = 0
    for number, job in enumerate(jobs):
        key = tuple(map(tuple, job["css"]))
        if key not in sheets:
            sheets[key] = [CSS(string=text, base_url=url, font_config=fonts) for text, url in job["css"]]
        document = HTML(string=job["html"], base_url=job["base"]).render(
            stylesheets=sheets[key], font_config=fonts, **options)
        pages += len(document.pages)
        (out / f"{tag}-{number}.pdf").write_bytes(document.write_pdf(pdf_identifier=True, **options))
    return pages
pages = run("cold")
started = time.perf_counter()
if "once" not in sys.argv[3:]:
    run("warm")
print(json.dumps({"warm_seconds": time.perf_counter() - started, "pdfs": len(jobs), "pages": pages}))
"""


CARDS = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from cards import summary
print(json.dumps(summary(int(sys.argv[2]), int(sys.argv[3]))))
"""


@dataclass(frozen=True)
class Timed:
    """One process: seconds from start to end, CPU seconds (its workers' too), what it printed."""

    wall: float
    cpu: float
    output: str

    def json(self) -> dict[str, float]:
        found: dict[str, float] = json.loads(self.output.strip().splitlines()[-1])
        return found


def run(command: list[str]) -> Timed:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{process.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(wall, cpu, process.stdout)


def child(site: Path, **options: object) -> Timed:
    """``build(site, **options)`` in a new process, with its counts (and memory) as JSON."""
    return run([PYTHON, "-c", CHILD, json.dumps({**options, "site": str(site)})])


def cli(site: Path, *arguments: str) -> Timed:
    return run([BILINGUAL, "build", str(site), *arguments])


# On ext4 without a journal (this machine's disk), creating a file costs more for every file
# deleted nearby in the last 30 seconds: the allocator skips their inodes one by one, so a
# build right after deleting the last one's 6,000 files spent 2 s more in the kernel, and more
# round after round. No user's first build follows such a deletion: outputs of earlier builds
# (Hugo's too) are moved aside and deleted with the temporary folder, once everything is timed.
TRASH: list[Path] = []


def compile_package() -> None:
    """Write the package's bytecode, as installing it does: a user's build never compiles the
    toolkit's modules (with PYTHONDONTWRITEBYTECODE set, every timed start would)."""
    import bilingual

    for folder in bilingual.__path__:
        subprocess.run([PYTHON, "-m", "compileall", "-q", folder], check=True)


def discard(path: Path) -> None:
    """Move ``path`` out of the way without deleting anything (see TRASH)."""
    if TRASH and os.path.lexists(path):
        os.replace(path, TRASH[0] / f"{len(list(TRASH[0].iterdir()))}")
    else:
        shutil.rmtree(path, ignore_errors=True)


def fresh(site: Path) -> None:
    discard(site / "_site")
    discard(site / ".bilingual-cache")


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in folder.rglob("*"):
        if path.is_file():
            status = path.stat()
            found[str(path)] = (status.st_ino, status.st_mtime_ns)
    return found


def edit_persian_body(site: Path, number: int) -> None:
    post = site / f"content/posts/post-{number:05d}/fa.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(
        text.replace("\n\n", f"\n\nجملهٔ تازهٔ شمارهٔ {time.time_ns()}.\n\n", 1), encoding="utf-8"
    )


@dataclass
class Rounds:
    """Measurements taken once per round, by name; their medians."""

    taken: dict[str, list[Timed]] = field(default_factory=dict)

    def add(self, name: str, timed: Timed) -> Timed:
        self.taken.setdefault(name, []).append(timed)
        return timed

    def wall(self, name: str) -> float:
        return statistics.median(timed.wall for timed in self.taken[name])

    def cpu(self, name: str) -> float:
        return statistics.median(timed.cpu for timed in self.taken[name])

    def spread(self, name: str) -> str:
        values = sorted(timed.wall for timed in self.taken[name])
        return f"{values[0]:.2f}-{values[-1]:.2f}"


class Table:
    """Rows of figures, printed as they come and then as Markdown."""

    def __init__(self, *headers: str) -> None:
        self.headers = headers or ("figure", "target", "ratio")
        self.rows: list[tuple[str, ...]] = []

    def add(self, what: str, *values: str) -> None:
        row = (what, *values, *["-"] * (len(self.headers) - len(values)))
        self.rows.append(row)
        print(f"{row[0]:<64} " + " ".join(f"{value:>14}" for value in row[1:]), flush=True)

    def markdown(self) -> str:
        lines = [
            "| measurement | " + " | ".join(self.headers) + " |",
            "|---|" + "---:|" * len(self.headers),
        ]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (5 min: {five:.1f})"


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(
            line
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        gigabytes = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        gigabytes = 0.0
    return (
        f"{os.cpu_count()} CPUs ({model}), {gigabytes:.0f} GB RAM, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )


def against_hugo(
    table: Table,
    site: Path,
    searched: Path,
    posts: int,
    hugo_site: Path,
    out: Path,
    rounds: int,
    time_hugo: Callable[[Path, Path], Timed],
) -> None:
    """Alternate Hugo and the toolkit round after round; print the medians. ``site`` has no
    search index, as the Hugo site has none; ``searched`` is the same with one."""
    taken, touched = Rounds(), []
    for number in range(rounds):
        taken.add("hugo", time_hugo(hugo_site, out))
        fresh(site)
        taken.add("full", child(site, pdf=False))
        before = snapshot(site / "_site")
        taken.add("same", cli(site, "--no-pdf"))
        after = snapshot(site / "_site")
        touched.append(
            sum(1 for path in before.keys() | after.keys() if before.get(path) != after.get(path))
        )
        edit_persian_body(site, (posts // 2 + number) % posts)
        taken.add("edit", cli(site, "--no-pdf"))
        fresh(site)
        taken.add("pages", child(site, pdf=False, pages_only=True))
        fresh(searched)
        taken.add("search", child(searched, pdf=False))
    hugo = taken.wall("hugo")
    first = taken.taken["full"][0].json()
    table.add(
        f"Hugo, full build ({rounds} runs: {taken.spread('hugo')} s)", f"{hugo:.2f} s", "1.00x"
    )
    rows = (
        ("full", "First build, pages and social cards", 1.0),
        ("pages", "First build, pages only", 0.6),
        ("same", "Nothing changed: `bilingual build` command", 0.05),
        ("edit", "One Persian body edit: `bilingual build` command", 0.15),
    )
    for name, what, share in rows:
        times = taken.wall(name) / hugo
        table.add(
            f"{what} ({taken.spread(name)} s)",
            f"{taken.wall(name):.2f} s",
            f"{times:.2f}x",
            f"<= {share}x Hugo",
            f"{times / share:.2f}",
        )
    table.add(
        f"  first build with the search index too ({taken.spread('search')} s)",
        f"{taken.wall('search'):.2f} s",
        f"{taken.wall('search') / hugo:.2f}x",
    )
    table.add(
        "  CPU time: Hugo / first build / pages only (s)",
        f"{taken.cpu('hugo'):.1f} / {taken.cpu('full'):.1f} / {taken.cpu('pages'):.1f}",
    )
    # What a target leaves to spend if every CPU works all along: the pages-only target
    # leaves less than Hugo spends itself.
    cpus, shares = os.cpu_count() or 1, {name: share for name, _, share in rows}
    table.add(
        f"  CPU the targets allow on {cpus} CPUs: first build / pages only (s)",
        f"{hugo * shares['full'] * cpus:.1f} / {hugo * shares['pages'] * cpus:.1f}",
    )
    table.add("  files written when nothing changed", f"{max(touched)}", "-", "0")
    table.add("  outputs in the first build", f"{first['outputs']:.0f}")


def cards(table: Table, count: int, rounds: int) -> None:
    found = run([PYTHON, "-c", CARDS, str(HERE), str(count), str(rounds)]).json()
    table.add(
        f"Social card: CPU time per card (median of {rounds} x {count})",
        f"{found['card_ms']:.2f} ms",
        "-",
        "<= 2 ms",
        f"{found['card_ms'] / 2:.2f}",
    )
    table.add(
        "200,000-character title: its card (s)",
        f"{found['huge_title_s']:.3f} s",
        "-",
        "<= 0.25 s",
        f"{found['huge_title_s'] / 0.25:.2f}",
    )


def pdfs(table: Table, work: Path, posts: int, rounds: int) -> None:
    """The PDF phase (pages built first) against WeasyPrint alone on the same HTML.

    The per-PDF overhead is in CPU time: the build's PDF phase (the build with its PDFs less
    the same build making each PDF's bytes at once, which still renders the pages that link
    to the PDFs, plans and saves its cache) against WeasyPrint alone in a new process, plain
    and tagged (PDF/UA-1, as the build writes them).
    """
    from synthetic import write_site

    site = write_site(work / "pdf-site", posts, search=False)
    prepared = work / "pdf-jobs.json"
    subprocess.run([PYTHON, "-c", PREPARE_PDF, str(site), str(prepared)], check=True, cwd=ROOT)
    (work / "raw").mkdir()
    taken = Rounds()
    raw: dict[str, float] = {}
    for _ in range(rounds):
        timed = taken.add("raw", run([PYTHON, "-c", RAW_PDF, str(prepared), str(work / "raw")]))
        raw = timed.json()
        taken.add("raw cold", Timed(timed.wall - raw["warm_seconds"], 0, ""))
        taken.add(
            "raw once", run([PYTHON, "-c", RAW_PDF, str(prepared), str(work / "raw"), "once"])
        )
        taken.add(
            "raw tagged",
            run([PYTHON, "-c", RAW_PDF, str(prepared), str(work / "raw"), "tagged", "once"]),
        )
        for jobs in ("1", "2"):
            fresh(site)
            cli(site, "--no-pdf", "--jobs", jobs)
            taken.add(jobs, cli(site, "--jobs", jobs))
        for stub in (False, True):
            fresh(site)
            cli(site, "--no-pdf", "--jobs", "1")
            taken.add(f"child stub={stub}", child(site, pdf=True, jobs=1, stub_pdf=stub))
    count = sum(1 for _ in (site / "_site").rglob("*.pdf"))
    cold = taken.wall("raw cold")
    table.add(
        f"WeasyPrint alone, warm: per PDF ({raw['pdfs']:.0f} PDFs, {raw['pages']:.0f} A5 pages)",
        f"{raw['warm_seconds'] / raw['pdfs']:.3f} s",
    )
    table.add(f"WeasyPrint alone, new process: {raw['pdfs']:.0f} PDFs", f"{cold:.2f} s")
    table.add(f"bilingual build --jobs 1, new process: {count} PDFs", f"{taken.wall('1'):.2f} s")
    overhead = taken.wall("1") / cold - 1
    table.add("  whole command over WeasyPrint alone (wall)", f"{overhead * 100:.1f} %")
    phase = taken.cpu("child stub=False") - taken.cpu("child stub=True")
    table.add(
        "  CPU: WeasyPrint alone plain / tagged / PDF phase of the build (s)",
        f"{taken.cpu('raw once'):.2f} / {taken.cpu('raw tagged'):.2f} / {phase:.2f}",
    )
    table.add(
        "  CPU: the build without its PDFs (stubbed) / with them (s)",
        f"{taken.cpu('child stub=True'):.2f} / {taken.cpu('child stub=False'):.2f}",
    )
    over_tagged = phase / taken.cpu("raw tagged") - 1
    table.add(
        "  per-PDF overhead over WeasyPrint alone, tagged (CPU)", f"{over_tagged * 100:.1f} %"
    )
    over_plain = phase / taken.cpu("raw once") - 1
    table.add(
        "  per-PDF overhead over WeasyPrint alone, plain (CPU)",
        f"{over_plain * 100:.1f} %",
        "-",
        "<= 10 %",
        f"{over_plain / 0.10:.2f}",
    )
    speedup = taken.wall("1") / taken.wall("2")
    table.add(
        f"PDF phase, --jobs 2 ({taken.wall('2'):.2f} s): speed-up over --jobs 1",
        f"{speedup:.2f}x",
        "-",
        ">= 1.8x",
        f"{1.8 / speedup:.2f}",
    )
    table.add("  CPU: --jobs 1 / --jobs 2 (s)", f"{taken.cpu('1'):.2f} / {taken.cpu('2'):.2f}")
    edit_persian_body(site, min(3, posts - 1))
    table.add(
        "PDFs rendered again after one Persian body edit",
        f"{child(site, pdf=True).json()['pdfs_rendered']:.0f}",
        "-",
        "1",
    )
    table.add(
        "PDFs rendered again, nothing changed",
        f"{child(site, pdf=True).json()['pdfs_rendered']:.0f}",
        "-",
        "0",
    )
    shutil.rmtree(site)


def memory(table: Table, work: Path, small: Path, posts: int, big_posts: int) -> None:
    from synthetic import write_site

    fresh(small)
    small_peak = child(small, pdf=False, pages_only=True, memory=True).json()["peak_pss_mb"]
    big = write_site(work / "big", big_posts)
    found = child(big, pdf=False, pages_only=True, memory=True).json()
    table.add(
        f"Peak memory, {big_posts:,} posts, pages only: all processes, PSS",
        f"{found['peak_pss_mb']:.0f} MB",
        "-",
        "<= 400 MB",
        f"{found['peak_pss_mb'] / 400:.2f}",
    )
    table.add(
        "  build process peak RSS / largest worker RSS",
        f"{found['peak_rss_mb']:.0f} / {found['worker_rss_mb']:.0f} MB",
    )
    growth = found["peak_pss_mb"] / small_peak
    table.add(
        f"Memory growth, {posts:,} -> {big_posts:,} posts (x{big_posts / posts:.0f} posts)",
        f"x{growth:.2f}",
        "-",
        f"< x{big_posts / posts:.0f}",
        f"{growth / (big_posts / posts):.2f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per figure")
    parser.add_argument("--big", type=int, default=5000, help="posts for the memory figure")
    parser.add_argument("--pdf-posts", type=int, default=40, help="posts for the PDF figures")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--only-pdfs", action="store_true", help="only the PDF figures")
    args = parser.parse_args()
    compile_package()
    sys.path.insert(0, str(HERE))
    from hugo import hugo_command, write_hugo_site
    from synthetic import write_site

    if args.only_pdfs:
        print(f"{machine()}\nload average before: {load()}")
        table = Table("figure", "x Hugo", "target", "ratio")
        with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as temporary:
            pdfs(table, Path(temporary), args.pdf_posts, args.rounds)
        print(f"load average after: {load()}\n\n{table.markdown()}")
        return
    if shutil.which("hugo") is None:
        sys.exit("hugo is not installed: apt-get install hugo")
    print(machine())
    print(f"load average before: {load()}")
    table = Table("figure", "x Hugo", "target", "ratio")
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as temporary:
        work = Path(temporary)
        TRASH.append(work / "trash")
        TRASH[0].mkdir()
        site = write_site(work / "site", args.posts, search=False)
        searched = write_site(work / "searched", args.posts)
        hugo_site = write_hugo_site(site, work / "hugo")

        def time_hugo(root: Path, out: Path) -> Timed:
            discard(out)
            return run(hugo_command(root, out))

        print(f"{args.posts:,} posts in English and Persian:")
        against_hugo(
            table, site, searched, args.posts, hugo_site, work / "hugo-out", args.rounds, time_hugo
        )
        discard(searched)
        cards(table, 400, args.rounds)
        pdfs(table, work, args.pdf_posts, args.rounds)
        memory(table, work, site, args.posts, args.big)
    loads = f"load average after: {load()}"
    print(loads)
    print()
    print(table.markdown())
    if args.markdown:
        args.markdown.write_text(f"{machine()}\n{loads}\n\n{table.markdown()}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
