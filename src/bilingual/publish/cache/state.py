"""Turn the last build into one output folder into a record: what it read and what it wrote.

``build-<hash of the output folder>.json`` holds the stat of every input file (content,
config, templates, catalogs, the toolkit's sources) and, per output, its fingerprint, the hash
of its bytes and the stat of the file written. When every input has the same stat and the
output folder holds exactly those files with those stats, the build has nothing to do.

It also holds the stat of every folder of the inputs and of the output: when none changed, no
file was added or removed, and a stat of each recorded file and folder tells that nothing
changed, without listing a folder (``BuildState.unchanged``). Like Make and Hugo, this trusts
time stamps: a file rewritten with the same size, time stamp and inode is taken as unchanged,
except an input written within RACY_NS of the build's look at it, which is compared by
content (and its folder listed again).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from bilingual.publish.cache.hashing import digest, file_digest
from bilingual.publish.cache.scan import (
    RACY_NS,
    FolderStat,
    output_folders,
    racy,
    stat_files,
    unchanged_files,
    unchanged_folders,
)
from bilingual.publish.cache.store import (
    CACHE_DIR,
    FORMAT,
    TEMPORARY_SUFFIX,
    read_json,
    write_json,
)
from bilingual.publish.writer import FileStat

if TYPE_CHECKING:
    from bilingual.publish.cache.documents import DocumentCache
    from bilingual.publish.cache.entries import EntryCache


class OutputRecord(NamedTuple):
    """One file of the last build: how it was made and what was written; ``reads``, the posts
    and pages its fingerprint read (None: not known, so never kept without hashing again).

    A tuple: a build with nothing to do makes thousands of them from the state file."""

    path: str
    kind: str
    renderer: str
    lang: str | None
    slug: str | None
    fingerprint: str
    digest: str
    stat: FileStat
    reads: tuple[str, ...] | None = None  # sorted

    def row(self) -> list[Any]:
        reads = list(self.reads) if self.reads is not None else None
        return [
            self.path,
            self.kind,
            self.renderer,
            self.lang,
            self.slug,
            self.fingerprint,
            self.digest,
            *self.stat,
            reads,
        ]

    @classmethod
    def from_row(cls, row: list[Any]) -> OutputRecord:
        path, kind, renderer, lang, slug, fingerprint, data_digest, size, mtime, inode, reads = row
        return cls(
            path,
            kind,
            renderer,
            lang,
            slug,
            fingerprint,
            data_digest,
            FileStat(size, mtime, inode),
            tuple(map(str, reads)) if reads is not None else None,
        )


@dataclass
class BuildState:
    """The last build into one output folder."""

    key: str = ""
    plan: str = ""  # Fingerprints.plan of the outputs
    looked_at_ns: int = 0
    inputs: dict[str, FileStat] = field(default_factory=dict)
    racy: dict[str, str | None] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    folders: dict[str, FolderStat | None] = field(default_factory=dict)  # of the inputs
    output_folders: dict[str, FolderStat | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "key": self.key,
            "plan": self.plan,
            "looked_at_ns": self.looked_at_ns,
            "inputs": {path: list(stat) for path, stat in self.inputs.items()},
            "racy": self.racy,
            "outputs": [record.row() for record in self.outputs.values()],
            "folders": self.folders,
            "output_folders": self.output_folders,
        }

    @classmethod
    def from_json(cls, data: Any) -> BuildState:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls()
        try:
            outputs = (OutputRecord.from_row(row) for row in data["outputs"])
            return cls(
                key=str(data["key"]),
                plan=str(data["plan"]),
                looked_at_ns=int(data["looked_at_ns"]),
                inputs={str(path): FileStat(*stat) for path, stat in data["inputs"].items()},
                racy={str(path): value for path, value in data["racy"].items()},
                outputs={record.path: record for record in outputs},
                folders=_folders(data.get("folders", {})),
                output_folders=_folders(data.get("output_folders", {})),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return cls()

    def record_inputs(
        self,
        inputs: dict[str, FileStat],
        looked_at_ns: int,
        folders: dict[str, FolderStat | None] | None = None,
    ) -> None:
        """Remember ``inputs``, and the content of those that may change within a tick; and
        ``folders``, unless one changed within a tick (the next build lists them again)."""
        self.inputs = inputs
        self.looked_at_ns = looked_at_ns
        self.racy = {
            path: file_digest(path) for path, stat in inputs.items() if racy(stat, looked_at_ns)
        }
        settled = folders is not None and all(
            found is None or found[0] <= looked_at_ns - RACY_NS for found in folders.values()
        )
        self.folders = folders if settled and folders is not None else {}

    def unchanged(self, destination: Path) -> bool:
        """Whether every input and output file and folder has the stat recorded, and no input
        needs comparing by content: the build has nothing to do, as far as stats can tell.
        (On Windows a ctime is when a file was made, not changed: there folders are listed.)"""
        return (
            os.name == "posix"
            and not self.racy
            and bool(self.folders)
            and bool(self.output_folders)
            and unchanged_folders(self.folders)
            and unchanged_files(self.inputs)
            and unchanged_folders(self.output_folders, str(destination), follow=False)
            and unchanged_files(
                {path: record.stat for path, record in self.outputs.items()},
                str(destination),
                follow=False,
            )
        )

    def output_files(self, destination: Path) -> dict[str, FileStat] | None:
        """The files of the output folder as ``scan_output`` lists them, by a stat of each
        recorded one, when none of its folders changed (so none gained or lost a file) since
        this was recorded; None if one did: the folder must be listed then."""
        if not (
            os.name == "posix"
            and self.output_folders
            and unchanged_folders(self.output_folders, str(destination), follow=False)
        ):
            return None
        return stat_files(self.outputs, str(destination), follow=False)

    def changed_inputs(self, inputs: dict[str, FileStat]) -> set[str]:
        """The input files added, removed or changed since: by stat, or by content for those
        that may have changed within a tick."""
        changed = {
            path
            for path in self.inputs.keys() | inputs.keys()
            if self.inputs.get(path) != inputs.get(path)
        }
        return changed | {
            path
            for path, known in self.racy.items()
            if path not in changed and file_digest(path) != known
        }

    def inputs_unchanged(self, inputs: dict[str, FileStat]) -> bool:
        if inputs != self.inputs:
            return False
        return all(file_digest(path) == known for path, known in self.racy.items())

    def output_intact(self, path: str, found: dict[str, FileStat]) -> OutputRecord | None:
        """The record of ``path`` if the file is still the one the last build wrote."""
        record = self.outputs.get(path)
        if record is not None and found.get(path) == record.stat:
            return record
        return None

    def intact_outputs(self, found: dict[str, FileStat]) -> set[str]:
        """The files of ``found`` that are still the ones the last build wrote."""
        return {path for path, record in self.outputs.items() if found.get(path) == record.stat}

    def output_unchanged(self, found: dict[str, FileStat]) -> bool:
        return len(found) == len(self.outputs) and all(
            found.get(path) == record.stat for path, record in self.outputs.items()
        )


class BuildCache:
    """The cache folder of one site, for builds into one output folder."""

    def __init__(self, site_root: Path, destination: Path) -> None:
        self.folder = Path(site_root) / CACHE_DIR
        self.destination = Path(os.path.abspath(destination))
        self.state_file = self.folder / f"build-{digest(str(self.destination))[:16]}.json"

    def spare(self, destination: Path) -> Path | None:
        """Where the folder retired by a build waits to be the next staging folder: in the
        cache folder when it is on the output's file system (else the builds remove it)."""
        parent = Path(os.path.abspath(destination)).parent
        try:
            here = os.stat(self.folder if self.folder.is_dir() else self.folder.parent).st_dev
            there = os.stat(parent).st_dev
        except OSError:
            return None
        return self.folder / f"spare-{self.state_file.stem[6:]}" if here == there else None

    def remove_temporary_files(self) -> None:
        """Remove what a killed build left half-written (call with the build lock held)."""
        for leftover in self.folder.glob(f".*{TEMPORARY_SUFFIX}"):
            leftover.unlink(missing_ok=True)

    def load_state(self) -> BuildState:
        return BuildState.from_json(read_json(self.state_file))

    def save_state(self, state: BuildState) -> None:
        """Save ``state`` with the stat of the output's folders as they are now."""
        state.output_folders = output_folders(self.destination)
        write_json(self.state_file, state.to_json())

    def documents(
        self, inputs: dict[str, FileStat], looked_at_ns: int, use: bool = True
    ) -> DocumentCache:
        from bilingual.publish.cache.documents import DocumentCache

        return DocumentCache(self.folder, inputs, looked_at_ns, use)

    def entries(
        self, inputs: dict[str, FileStat], looked_at_ns: int, key: str, use: bool = True
    ) -> EntryCache:
        from bilingual.publish.cache.entries import EntryCache

        return EntryCache(self.folder, inputs, looked_at_ns, key, use)


def _folders(data: Any) -> dict[str, FolderStat | None]:
    return {
        str(path): None if found is None else (int(found[0]), int(found[1]))
        for path, found in data.items()
    }
