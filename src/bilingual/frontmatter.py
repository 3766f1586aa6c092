"""Turn a content file's bytes into front matter (YAML) and a Markdown body."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import BilingualError, ContentError

FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.S | re.M)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml when available) without implicit timestamps: the reader checks dates."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    path: Path
    meta: dict[str, Any]
    body: str
    text: str

    def line_of(self, key: str) -> int | None:
        """The 1-based line where front matter ``key`` is set."""
        match = re.search(rf"^{re.escape(key)}\s*:", self.text, re.M)
        return self.text.count("\n", 0, match.start()) + 1 if match else None


def decode(data: bytes, path: Path, error_class: type[BilingualError] = ContentError) -> str:
    """Decode UTF-8 text; explain a BOM, binary data and the usual Persian legacy encoding."""
    if b"\x00" in data:
        raise error_class("binary file, expected UTF-8 text", path)
    if data.startswith(codecs.BOM_UTF8):
        raise error_class(
            "file starts with a byte order mark (BOM), which hides its front matter", path, 1,
            hint=f"save it as UTF-8 without BOM, e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' '{path}'")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise error_class(
            "file is not UTF-8 (it may be Windows-1256, common for Persian text)", path, line,
            hint=f"convert it: iconv -f cp1256 -t utf-8 -o '{path}.utf8' '{path}' && mv '{path}.utf8' '{path}'",
        ) from None
    return text.replace("\r\n", "\n")


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Drop characters HTML and XML cannot carry (C0 controls but tab and newlines, noncharacters)."""
    return _NOT_TEXT.sub("", text)


_LINE_SPACE = re.compile(r"[ \t\n\r\f\v\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """A title-like field: line breaks and runs of spaces become one space, ends trimmed."""
    return _LINE_SPACE.sub(" ", clean_text(text)).strip()


def parse_document(path: Path) -> Document:
    text = decode(path.read_bytes(), path)
    if not text.strip():
        raise ContentError("empty file, expected front matter between --- lines", path, 1)
    match = FENCE.match(text)
    if not match:
        raise ContentError(
            "no front matter: the file must start with a line '---', then YAML, then '---'",
            path, 1,
        )
    try:
        meta = yaml.load(match.group(1), Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError(f"invalid YAML front matter: {problem}", path, line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError("front matter must be a mapping of keys to values", path, 2)
    return Document(path=path, meta=meta, body=text[match.end():].strip("\n"), text=text)


def load_yaml_file(path: Path) -> Any:
    text = decode(path.read_bytes(), path)
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise ContentError(f"invalid YAML: {problem}", path,
                           mark.line + 1 if mark is not None else None) from None
