"""Turn a content file's bytes into front matter (YAML) and a Markdown body."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.constructor import ConstructorError

from bilingual.errors import BilingualError, ContentError
from bilingual.site.inputs import read_input

FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)

MAX_YAML_VALUES = 250_000
"""Values a YAML file may stand for, aliases expanded: a 'billion laughs' stops here."""
MAX_YAML_DEPTH = 100
MERGE_TAG = "tag:yaml.org,2002:merge"

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The scanner errors whose start (the opening quote or bracket) is where the mistake is.
_UNCLOSED = ("while scanning a quoted scalar", "while parsing a flow")


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML (libyaml when available) without implicit timestamps (the reader checks
    dates), refusing duplicate keys and reporting a value its tag cannot read at its line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception:  # each tag's constructor fails in its own way
            raise ConstructorError(None, None, _tag_problem(node), node.start_mark) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self._refuse_duplicate_keys(node)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep)
        return mapping

    def _refuse_duplicate_keys(self, node: yaml.MappingNode) -> None:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node)
            if key in seen:
                raise ConstructorError(
                    None, None, f"duplicate key {key!r}: it is set twice", key_node.start_mark
                )
            seen.add(key)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _tag_problem(node: yaml.Node) -> str:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    if not isinstance(node, yaml.ScalarNode):
        shape = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
        return f"{tag} cannot be applied to a {shape}"
    return f"{node.value!r} is not a valid {tag} value" + (
        ": dates are written YYYY-MM-DD" if tag == "!!timestamp" else ""
    )


def load_yaml(
    text: str,
    path: Path,
    first_line: int = 1,
    error_class: type[BilingualError] = ContentError,
    what: str = "YAML",
) -> Any:
    """Parse ``text`` (which starts on line ``first_line`` of ``path``) safely.

    Aliases are counted before anything is built, so that a few lines cannot stand for
    millions of values.
    """
    try:
        return _load(text)
    except yaml.reader.ReaderError as error:
        code = error.character if isinstance(error.character, int) else ord(error.character)
        line = text.count("\n", 0, error.position) + first_line
        raise error_class(
            f"invalid {what}: the control character U+{code:04X} cannot be written in YAML",
            path,
            line,
            hint="remove it",
        ) from None
    except yaml.YAMLError as error:
        message, mark, hint = _yaml_problem(error)
        line = mark.line + first_line if mark is not None else first_line
        raise error_class(f"invalid {what}: {message}", path, line, hint=hint) from None
    except RecursionError:
        raise error_class(f"invalid {what}: values nested too deeply", path, first_line) from None


def _load(text: str) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _yaml_problem(error: yaml.YAMLError) -> tuple[str, Any, str | None]:
    """The message, the mark to point at and a hint for a YAML error."""
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and context.startswith(_UNCLOSED):
        if "quoted" in context:
            return (
                "the quote opened on this line is never closed",
                context_mark,
                "close it on the same line, or write the value without quotes",
            )
        return f"the bracket opened on this line is never closed ({problem})", context_mark, None
    return problem, getattr(error, "problem_mark", None), None


def _check_size(root: yaml.Node) -> None:
    """Walk the node graph as the built value would be, aliases expanded, within bounds."""
    budget = MAX_YAML_VALUES
    stack: list[tuple[yaml.Node, int, Any]] = [(root, 1, root.start_mark)]
    while stack:
        node, depth, mark = stack.pop()
        budget -= 1
        if budget < 0:
            raise ConstructorError(
                None,
                None,
                f"this value stands for over {MAX_YAML_VALUES:,} "
                "values once its aliases (*name) are expanded",
                mark,
            )
        if depth > MAX_YAML_DEPTH:
            raise ConstructorError(
                None, None, f"values nested too deeply (over {MAX_YAML_DEPTH} levels)", mark
            )
        # Pushed last first, so that values are counted in the order they are written.
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1, mark) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                where = key.start_mark if node is root else mark
                stack += [(value, depth + 1, where), (key, depth + 1, where)]


@dataclass(frozen=True)
class Document:
    path: Path
    meta: dict[str, Any]
    body: str
    text: str

    def line_of(self, key: str) -> int | None:
        """The 1-based line where front matter ``key`` is set (the key may be quoted)."""
        match = re.search(rf"^([\"']?){re.escape(key)}\1\s*:", self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start()) + 1 if match else None


def decode(data: bytes, path: Path, error_class: type[BilingualError] = ContentError) -> str:
    """Decode UTF-8 text; explain a BOM, binary data and the usual Persian legacy encoding."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise error_class("binary file, expected UTF-8 text", path, line)
    if data.startswith(codecs.BOM_UTF8):
        raise error_class(
            "file starts with a byte order mark (BOM), which hides its front matter",
            path,
            1,
            hint=f"save it as UTF-8 without BOM, e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' '{path}'",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise error_class(
            "file is not UTF-8 (it may be Windows-1256, common for Persian text)",
            path,
            line,
            hint=f"convert it: iconv -f cp1256 -t utf-8 -o '{path}.utf8' '{path}' "
            f"&& mv '{path}.utf8' '{path}'",
        ) from None
    return text.replace("\r\n", "\n")


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Drop what HTML and XML cannot carry: C0 controls (but tab and newlines), noncharacters."""
    return _NOT_TEXT.sub("", text)


_LINE_SPACE = re.compile(r"[ \t\n\r\f\v\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """A title-like field: line breaks and runs of spaces become one space, ends trimmed."""
    return _LINE_SPACE.sub(" ", clean_text(text)).strip()


def parse_document(path: Path) -> Document:
    """Read one content file: front matter between ``---`` lines, then the Markdown body."""
    return document_of(path, read_input(path, None))


def document_of(path: Path, data: bytes) -> Document:
    """The document in ``data``, the bytes of the content file at ``path``."""
    text = decode(data, path)
    if not text.strip():
        raise ContentError("empty file, expected front matter between --- lines", path, 1)
    match = FENCE.match(text)
    if not match:
        raise ContentError(
            "no front matter: the file must start with a line '---', then YAML, then '---'",
            path,
            1,
        )
    meta = load_yaml(match.group(1), path, first_line=2, what="YAML front matter")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError("front matter must be a mapping of keys to values", path, 2)
    return Document(path=path, meta=meta, body=text[match.end() :].strip("\n"), text=text)


def load_yaml_file(path: Path) -> Any:
    """Read a YAML data file (such as tags.yaml)."""
    return load_yaml(decode(read_input(path, None), path), path)
