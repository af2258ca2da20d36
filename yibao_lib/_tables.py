"""Reading and validating the tidy tables in ``data/``.

Each table is declared once as a list of columns with a type; a broken cell raises
:class:`~yibao_lib.errors.DataError` naming the file, the row (as a spreadsheet shows it, the
header being row 1) and the field. Files are read once per process (see ``load_*`` callers).
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import DataError

# Most to least certain. ``weak``: machine-written Q&A pages (jiusongjiankang, 有家健康网 …) that
# often contradict themselves; such a row never overturns a better one alone.
CONFIDENCE_LEVELS = ("official", "media", "aggregator", "seed", "weak", "contested")
SOURCE_KINDS = ("seed", "official", "media", "aggregator", "weak")


_reading_from: list[Path] = []  # set by reading_from(), for checking another data folder


def data_dir() -> Path:
    """The folder holding the data files (``YIBAO_DATA_DIR`` overrides, for tests).

    Installed from a wheel, the files are the package data ``yibao_lib/data/`` (pyproject.toml
    maps the repository's ``data/`` onto the subpackage ``yibao_lib.data``); in the source tree
    and an editable install there is no such folder and they are read from ``data/`` beside the
    package.
    """
    if _reading_from:
        return _reading_from[-1]
    override = os.environ.get("YIBAO_DATA_DIR")
    if override:
        return Path(override)
    package = Path(__file__).resolve().parent
    installed = package / "data"
    if installed.is_dir():
        return installed
    return package.parent / "data"


@contextlib.contextmanager
def reading_from(folder: Path | str | None):
    """Read the tables from ``folder`` inside this block (``None``: the usual folder)."""
    if folder is None:
        yield
        return
    _reading_from.append(Path(folder))
    try:
        yield
    finally:
        _reading_from.pop()


def parse_date(text: str) -> date:
    return date.fromisoformat(text)


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"“{text}”不是有限的数字")
    return value


def parse_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"“{text}”不是整数") from None


def parse_code(text: str) -> str:
    if len(text) != 6 or not text.isdigit():
        raise ValueError(f"“{text}”不是6位行政区划代码")
    return text


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[str], object] = str
    required: bool = True
    choices: tuple[str, ...] | None = None
    doc: str = ""


def read_table(file_name: str, columns: Iterable[Column]) -> list[dict[str, object]]:
    """Read ``data/<file_name>`` and return one dict per row with parsed values.

    Empty optional cells become ``None``; list columns become tuples. Unknown extra columns are
    an error (a typo in a header would otherwise be silently ignored).
    """
    columns = list(columns)
    path = data_dir() / file_name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise DataError(file_name, None, None, "文件不存在") from None
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        expected = [c.name for c in columns]
        missing = [name for name in expected if name not in header]
        extra = [name for name in header if name not in expected]
        if missing:
            raise DataError(file_name, 1, missing[0], "表头缺少这一列")
        if extra:
            raise DataError(file_name, 1, extra[0], "表头有未知的列")
        rows = []
        for line_no, raw in enumerate(reader, start=2):
            if raw.get(None):
                raise DataError(file_name, line_no, None, "这一行的单元格比表头多")
            rows.append(parse_row(file_name, line_no, raw, columns))
    return rows


def parse_row(
    file_name: str, line_no: int, raw: dict[str, str | None], columns: list[Column]
) -> dict[str, object]:
    row: dict[str, object] = {"_row": line_no}
    for column in columns:
        text = (raw.get(column.name) or "").strip()
        if not text:
            if column.required:
                raise DataError(file_name, line_no, column.name, "不能为空")
            row[column.name] = None
            continue
        if column.choices is not None and text not in column.choices:
            allowed = "、".join(column.choices)
            raise DataError(file_name, line_no, column.name, f"“{text}”不是允许的值（{allowed}）")
        try:
            row[column.name] = column.parse(text)
        except ValueError as exc:
            raise DataError(file_name, line_no, column.name, str(exc)) from None
    return row
