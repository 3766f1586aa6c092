"""Decide whether a build may replace an output folder: only an empty one or one it made itself.

The build publishes by swapping a whole new folder in place of the output folder, so whatever
else that folder holds would go with the old one. It is therefore refused, before anything is
read or written, when it overlaps the site's own files or holds a file no build wrote there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence, Set
from json.encoder import encode_basestring
from pathlib import Path

from bilingual.errors import OutputError
from bilingual.publish.plan import Output
from bilingual.publish.writer import FileStat

MANIFEST = "manifest.json"
GENERATOR = "bilingual"
SHOWN_FILES = 5


def check_overlap(destination: Path, site_root: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that is, holds or lies inside the site's inputs."""
    target = Path(os.path.abspath(destination))
    if target.is_symlink():
        raise OutputError(
            "the output folder is a symbolic link",
            destination,
            hint="give the folder it points to, or another folder",
        )
    resolved = target.resolve()
    if target.exists() and not target.is_dir():
        raise OutputError("the output folder is a file, not a folder", destination)
    root = site_root.resolve()
    if resolved == root or resolved in root.parents:
        raise OutputError(
            "the output folder holds the site itself",
            destination,
            hint="use a new folder, or the default SITE/_site",
        )
    for folder in protected:
        inside = folder.resolve()
        if resolved == inside or inside in resolved.parents or resolved in inside.parents:
            raise OutputError(
                f"the output folder overlaps {folder}",
                destination,
                hint="the build replaces its output folder: use a new folder",
            )


def check_ownership(destination: Path, found: dict[str, FileStat], written: Set[str]) -> None:
    """Refuse a non-empty output folder holding files that no build of ours wrote there.

    ``found`` is every file of the folder; ``written`` the files the last build recorded as
    written and still unchanged. Files listed by the folder's own manifest count as ours too,
    so a folder built elsewhere (another checkout, a deleted cache) is still accepted.
    """
    foreign = [path for path in found if path not in written]
    if not foreign:
        return
    listed = _manifest_paths(destination)
    if listed is not None:
        foreign = [path for path in foreign if path not in listed]
    if not foreign:
        return
    shown = ", ".join(sorted(foreign)[:SHOWN_FILES])
    more = f" and {len(foreign) - SHOWN_FILES} more" if len(foreign) > SHOWN_FILES else ""
    reason = (
        "holds files that bilingual did not write"
        if listed is not None
        else "is not empty and was not made by bilingual"
    )
    raise OutputError(
        f"the output folder {reason} ({shown}{more}); nothing was changed",
        destination,
        hint="to publish your own files, put them in templates/static/ (copied into every "
        "build); otherwise choose an empty or new folder",
    )


def manifest(outputs: Sequence[Output]) -> bytes:
    """The manifest: which generator wrote the folder, and every file it wrote.

    The same bytes as ``json.dumps(..., indent=1)`` gives, without its slow encoder.
    """
    entries = ",\n".join(
        "  {\n"
        + ",\n".join(
            f"   {_json(key)}: {_json(value)}" for key, value in output.manifest_entry().items()
        )
        + "\n  }"
        for output in outputs
    )
    listed = f"\n{entries}\n " if outputs else ""
    body = f'{{\n "generator": "{GENERATOR}",\n "outputs": [{listed}]\n}}\n'
    return body.encode("utf-8")


def _json(value: object) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def _manifest_paths(destination: Path) -> set[str] | None:
    """The files a bilingual manifest in ``destination`` lists (with itself), else None."""
    try:
        with open(destination / MANIFEST, "rb") as handle:
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("generator", GENERATOR) != GENERATOR:
        return None
    outputs = data.get("outputs")
    if not isinstance(outputs, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("path"), str) and "kind" in entry
        for entry in outputs
    ):
        return None  # the manifest of an older version has the same entries, no generator
    return {entry["path"] for entry in outputs} | {MANIFEST}
