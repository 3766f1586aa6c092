"""Render outputs on a Dask cluster whose workers see the site folder at the same path.

The site goes to the workers once (scattered); each worker rebuilds the plan, checks it is the
build's own by its digest, keeps it between tasks and sends back only the bytes the build does
not have yet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual.errors import BilingualError
from bilingual.publish.cache import digest
from bilingual.publish.executors import Rendered, Runner, Work, drain_futures, place
from bilingual.publish.plan import Output, asset_dirs, plan_site
from bilingual.publish.renderers import BuildContext
from bilingual.publish.search import Bundle, bundles_in
from bilingual.site.model import Site


@dataclass(frozen=True)
class RemoteSpec:
    """How a Dask worker rebuilds the plan: the same site folder, options and plan hash."""

    root: str
    pdf: bool
    plan: str
    search: tuple[Bundle, ...] = ()  # made by the build, in the cache folder the worker sees


_REMOTE: dict[str, Work] = {}


def plan_digest(outputs: Sequence[Output]) -> str:
    return digest(tuple((output.kind, output.path, output.renderer) for output in outputs))


def _remote_work(site: Site, spec: RemoteSpec) -> Work:
    key = digest(spec, id(site))
    if key not in _REMOTE:
        from bilingual.publish.templating import template_set

        root = Path(spec.root)
        outputs = tuple(plan_site(site, asset_dirs(root), pdf=spec.pdf, search=spec.search))
        if plan_digest(outputs) != spec.plan:
            raise BilingualError(
                f"the worker sees another site at {root}",
                hint="Dask workers must see the site folder at the same path",
            )
        _REMOTE.clear()
        _REMOTE[key] = Work(BuildContext(site, template_set(root), outputs), None, root, {})
    return _REMOTE[key]


def render_remote(
    site: Site, spec: RemoteSpec, indices: list[int], previous: dict[int, str]
) -> list[tuple[int, str, bytes | None]]:
    """Render on a worker; the bytes of an output the parent already has are not sent."""
    work = _remote_work(site, spec)
    results = []
    for index in indices:
        data_digest, data = work.render(index)
        results.append((index, data_digest, None if previous.get(index) == data_digest else data))
    return results


class DaskRunner(Runner):
    def __init__(self, address: str) -> None:
        try:
            from distributed import Client  # an optional extra
        except ImportError:
            raise BilingualError(
                "--executor dask://... needs Dask", hint='install it: pip install "bilingual[dask]"'
            ) from None
        try:
            connect: Any = Client  # untyped: the client is used through Any
            self.client: Any = connect(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise BilingualError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        self.futures: list[Future[Any]] = []
        self.jobs = max(1, sum(self.client.nthreads().values()))

    def run(self, work: Work, groups: list[list[int]]) -> Iterator[list[tuple[int, Rendered]]]:
        context = work.context
        assert work.staging is not None
        staging = work.staging
        spec = RemoteSpec(
            str(Path(context.site.config.root).resolve()),
            any(output.renderer == "pdf" for output in context.outputs),
            plan_digest(context.outputs),
            bundles_in(context.outputs),
        )
        site = self.client.scatter(context.site, broadcast=True, hash=False)
        executor: Executor = self.client.get_executor(pure=False)
        previous = {
            index: work.previous[context.outputs[index].path]
            for group in groups
            for index in group
            if context.outputs[index].path in work.previous
        }
        self.futures = [
            executor.submit(
                render_remote, site, spec, group, {i: previous[i] for i in group if i in previous}
            )
            for group in groups
        ]

        def handle(results: list[tuple[int, str, bytes | None]]) -> list[tuple[int, Rendered]]:
            placed = []
            for index, data_digest, data in results:
                path = context.outputs[index].path
                placed.append(
                    (
                        index,
                        place(
                            staging, work.destination, path, data_digest, data, previous.get(index)
                        ),
                    )
                )
            return placed

        return drain_futures(self.futures, handle)

    def close(self, cancel: bool = False) -> None:
        if cancel:
            for future in self.futures:
                future.cancel()
        self.client.close()
