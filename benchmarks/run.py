"""Measure the build against the performance targets, on synthetic sites in a temporary folder.

    .venv/bin/python benchmarks/run.py [--posts 1000] [--big 5000] [--pdf-posts 40]

Every measurement runs in a fresh process; each prints a figure, the target and a ratio. Peak
memory is the largest sum of the proportional set sizes (PSS) of the build process and its
workers, sampled every 50 ms in the runs that measure memory (sampling slows a build down),
and the peak RSS of the build process. "pages only" leaves the
social cards (PNG) out of the plan, to show the HTML pages' own figure; the other figures
include them. Nothing here is a test: the figures depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
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
if options.pop("pages_only", False):
    plan = build_module.plan_site
    build_module.plan_site = lambda *a, **k: [o for o in plan(*a, **k) if o.renderer != "card"]
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
import json, sys, importlib
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
# written to a file), then warm (the same again, per PDF).
RAW_PDF = r"""
import json, sys, time
from pathlib import Path
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
fonts = FontConfiguration()
jobs = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
sheets = {}
out = Path(sys.argv[2])
def run(tag):
    pages = 0
    for number, job in enumerate(jobs):
        key = tuple(map(tuple, job["css"]))
        if key not in sheets:
            sheets[key] = [CSS(string=text, base_url=url, font_config=fonts) for text, url in job["css"]]
        document = HTML(string=job["html"], base_url=job["base"]).render(
            stylesheets=sheets[key], font_config=fonts)
        pages += len(document.pages)
        (out / f"{tag}-{number}.pdf").write_bytes(document.write_pdf(pdf_identifier=True))
    return pages
pages = run("cold")
started = time.perf_counter()
run("warm")
print(json.dumps({"warm_seconds": time.perf_counter() - started, "pdfs": len(jobs), "pages": pages}))
"""


def child(site: Path, **options: object) -> dict[str, float]:
    options["site"] = str(site)
    process = subprocess.run([PYTHON, "-c", CHILD, json.dumps(options)], capture_output=True,
                             text=True, cwd=ROOT)
    if process.returncode != 0:
        sys.exit(f"build failed:\n{process.stderr}")
    result: dict[str, float] = json.loads(process.stdout.strip().splitlines()[-1])
    return result


def cli_seconds(site: Path, *arguments: str) -> float:
    started = time.perf_counter()
    subprocess.run([BILINGUAL, "build", str(site), *arguments], check=True, capture_output=True)
    return time.perf_counter() - started


def fresh(site: Path) -> None:
    shutil.rmtree(site / "_site", ignore_errors=True)
    shutil.rmtree(site / ".bilingual-cache", ignore_errors=True)


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
    post.write_text(text.replace("\n\n", f"\n\nجملهٔ تازهٔ شمارهٔ {time.time_ns()}.\n\n", 1),
                    encoding="utf-8")


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str]] = []

    def add(self, what: str, figure: str, target: str, ratio: str) -> None:
        self.rows.append((what, figure, target, ratio))
        print(f"{what:<58} {figure:>14} {target:>12} {ratio:>8}", flush=True)

    def markdown(self) -> str:
        lines = ["| measurement | figure | target | ratio |", "|---|---:|---:|---:|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in self.rows]
        return "\n".join(lines)


def machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        gigabytes = int(memory.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        gigabytes = 0.0
    return (f"{os.cpu_count()} CPUs ({model}), {gigabytes:.0f} GB RAM, Python "
            f"{platform.python_version()}, {platform.system()} {platform.release()}, "
            f"load average before: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--big", type=int, default=5000, help="posts for the memory figure")
    parser.add_argument("--pdf-posts", type=int, default=40, help="posts for the PDF figures")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from synthetic import write_site

    print(machine())
    table = Table()
    with tempfile.TemporaryDirectory(prefix="bilingual-bench-") as temporary:
        work = Path(temporary)
        site = write_site(work / "site", args.posts)
        n = f"{args.posts:,} posts"

        fresh(site)
        small_memory = child(site, pdf=False, pages_only=True, memory=True)["peak_pss_mb"]
        fresh(site)
        full = child(site, pdf=False, pages_only=True)
        table.add(f"Full HTML build, {n}, pages only (s)", f"{full['seconds']:.2f}", "< 4",
                  f"{full['seconds'] / 4:.2f}")
        fresh(site)
        full_cards = child(site, pdf=False)
        table.add(f"Full build, {n}, pages and social cards (s)",
                  f"{full_cards['seconds']:.2f}", "< 4", f"{full_cards['seconds'] / 4:.2f}")

        before = snapshot(site / "_site")
        listing = sorted(os.listdir(site))
        same = child(site, pdf=False)
        after = snapshot(site / "_site")
        assert sorted(os.listdir(site)) == listing
        touched = sum(1 for path in before.keys() | after.keys() if before.get(path) != after.get(path))
        table.add("Rebuild, nothing changed: build() (s)", f"{same['seconds']:.3f}", "< 0.5",
                  f"{same['seconds'] / 0.5:.2f}")
        table.add("Rebuild, nothing changed: files written", f"{touched}", "0", "-")
        cli = min(cli_seconds(site, "--no-pdf") for _ in range(3))
        table.add("Rebuild, nothing changed: `bilingual build` command (s)", f"{cli:.2f}", "< 0.5",
                  f"{cli / 0.5:.2f}")

        edit_persian_body(site, args.posts // 2)
        one = child(site, pdf=False)
        table.add("Rebuild after one Persian body edit (s)", f"{one['seconds']:.3f}", "< 1",
                  f"{one['seconds']:.2f}")
        table.add("  outputs rendered again / files rewritten", f"{one['rendered']:.0f} / "
                  f"{one['written']:.0f}", "-", "-")

        # PDFs: a smaller site, since every post has two editions. Both sides are new processes
        # timed from start to end: the build's PDF phase (the pages are built first), and
        # WeasyPrint alone writing the same HTML with the same stylesheets.
        pdf_site = write_site(work / "pdf-site", args.pdf_posts)
        timings = {}
        for jobs in (1, 2):
            fresh(pdf_site)
            cli_seconds(pdf_site, "--no-pdf", "--jobs", str(jobs))
            timings[jobs] = cli_seconds(pdf_site, "--jobs", str(jobs))
        count = sum(1 for _ in (pdf_site / "_site").rglob("*.pdf"))
        prepared = work / "pdf-jobs.json"
        subprocess.run([PYTHON, "-c", PREPARE_PDF, str(pdf_site), str(prepared)], check=True,
                       cwd=ROOT)
        (work / "raw").mkdir()
        started = time.perf_counter()
        raw_process = subprocess.run([PYTHON, "-c", RAW_PDF, str(prepared), str(work / "raw")],
                                     capture_output=True, text=True, cwd=ROOT, check=True)
        raw = json.loads(raw_process.stdout.strip().splitlines()[-1])
        raw_cold = time.perf_counter() - started - raw["warm_seconds"]
        table.add(f"WeasyPrint alone, warm: per PDF ({raw['pdfs']} PDFs, {raw['pages']} A5 pages) (s)",
                  f"{raw['warm_seconds'] / raw['pdfs']:.3f}", "-", "-")
        table.add(f"WeasyPrint alone, new process: {raw['pdfs']} PDFs (s)", f"{raw_cold:.2f}", "-", "-")
        table.add(f"bilingual build --jobs 1, new process: {count} PDFs (s)", f"{timings[1]:.2f}",
                  "-", "-")
        overhead = timings[1] / raw_cold - 1
        table.add("  toolkit overhead over WeasyPrint alone", f"{overhead * 100:.1f} %", "< 15 %",
                  f"{overhead / 0.15:.2f}")
        speedup = timings[1] / timings[2]
        table.add(f"PDF phase, --jobs 2: {timings[2]:.2f} s (speed-up over --jobs 1)",
                  f"{speedup:.2f}x", "> 1.7x", f"{1.7 / speedup:.2f}")
        edit_persian_body(pdf_site, min(3, args.pdf_posts - 1))
        again = child(pdf_site, pdf=True)
        table.add("PDFs rendered again after one Persian body edit", f"{again['pdfs_rendered']:.0f}",
                  "1", "-")
        same_pdf = child(pdf_site, pdf=True)
        table.add("PDFs rendered again, nothing changed", f"{same_pdf['pdfs_rendered']:.0f}", "0", "-")

        shutil.rmtree(work / "pdf-site")
        big = write_site(work / "big", args.big)
        big_run = child(big, pdf=False, pages_only=True, memory=True)
        table.add(f"Full HTML build, {args.big:,} posts, pages only, memory sampled (s)",
                  f"{big_run['seconds']:.2f}", "-", "-")
        table.add(f"Peak memory, {args.big:,} posts: all processes, PSS (MB)",
                  f"{big_run['peak_pss_mb']:.0f}", "< 400", f"{big_run['peak_pss_mb'] / 400:.2f}")
        table.add(f"  build process peak RSS / largest worker RSS (MB)",
                  f"{big_run['peak_rss_mb']:.0f} / {big_run['worker_rss_mb']:.0f}", "-", "-")
        growth = big_run["peak_pss_mb"] / small_memory
        table.add(f"Memory growth, {args.posts:,} -> {args.big:,} posts "
                  f"(x{args.big / args.posts:.0f} posts)", f"x{growth:.2f}",
                  f"< x{args.big / args.posts:.0f}", f"{growth / (args.big / args.posts):.2f}")

    print()
    print(table.markdown())
    if args.markdown:
        args.markdown.write_text(machine() + "\n\n" + table.markdown() + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
