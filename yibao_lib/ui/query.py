"""The page's link, read and written from one declaration per app.

Each app declares its query parameters once, as :class:`Param` objects: the name in the link,
a parser that turns the text into the input's value (or refuses it with a Chinese
:class:`~yibao_lib.errors.YibaoError`), the default, and the words of the notice shown when a
link's value is refused. :func:`read_query` reads a query with them (values + notices);
:func:`link_query` writes the share link's parameters with the same declarations, so what a
link writes is what the app reads back.

The raw query string is read in one place only, :func:`raw_query_string` (Voilà passes it to
the kernel as ``QUERY_STRING``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qs

from ..errors import YibaoError, YibaoInputError

DEFAULT_NOTE = "链接里的{label}有误：{error} 已改用{instead}。"


def raw_query_string() -> str:
    """The query string of the page the kernel serves (Voilà sets ``QUERY_STRING``).

    A kernel Voilà started ahead of any visitor (``preheat_kernel``; ``VOILA_PREHEAT=True``) has
    no request yet: the first call waits for the visitor's (``voila.utils.wait_for_request``
    sets ``QUERY_STRING``); a second wait would never end, hence once per kernel."""
    if os.environ.get("VOILA_PREHEAT") == "True" and not _waited_for_request:
        from voila.utils import wait_for_request

        _waited_for_request.append(True)
        wait_for_request()
    return os.environ.get("QUERY_STRING", "")


_waited_for_request: list[bool] = []  # [True] once this kernel has had its visitor's request


def query_params(query_string: str | None = None) -> dict[str, str]:
    """The page's query parameters (``query_string``, or the page's own when None): the first
    value of each, stripped; empty values are left out."""
    raw = raw_query_string() if query_string is None else query_string
    return {k: v[0].strip() for k, v in parse_qs(raw, keep_blank_values=False).items() if v}


@dataclass(frozen=True)
class Parsed:
    """A parser's value with notices about parts of the text it left out (a list of regions
    with one unknown name): the value is used, and the notices shown."""

    value: object
    notes: tuple[str, ...] = ()


def _write(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


@dataclass(frozen=True)
class Param:
    """One query parameter of an app.

    ``parse(text)`` gives the input's value, a :class:`Parsed`, or raises a
    :class:`~yibao_lib.errors.YibaoError` (its Chinese message goes into the notice).
    ``default`` is used when the link has no value or a refused one (a callable is called each
    time: ``date.today``). ``note`` is the notice, formatted with ``label``, ``instead``, the
    link's text (``raw``) and the refusal (``error``). ``write(value)`` is the text a share
    link carries; with ``keep_default=False`` the default is left out of links. ``group`` names
    the part of the app whose result shows the notice (an app with two results)."""

    name: str
    parse: Callable[[str], object]
    default: object = ""
    label: str = ""
    instead: str = ""
    note: str = DEFAULT_NOTE
    write: Callable[[object], str] = _write
    keep_default: bool = True
    group: str = ""

    def default_value(self) -> object:
        return self.default() if callable(self.default) else self.default

    def refused(self, raw: str, error: Exception) -> str:
        return self.note.format(label=self.label, instead=self.instead, raw=raw, error=error)


@dataclass
class QueryValues:
    """What :func:`read_query` read: a value per parameter, the notices (by group) and the
    names the link gave (valid or not)."""

    values: dict[str, object]
    notes: list[tuple[str, str]] = field(default_factory=list)
    given: frozenset[str] = frozenset()

    def __getitem__(self, name: str) -> object:
        return self.values[name]

    def notes_for(self, group: str = "") -> list[str]:
        return [text for g, text in self.notes if g == group]

    @property
    def all_notes(self) -> list[str]:
        return [text for _g, text in self.notes]


def read_query(params: Sequence[Param], query: Mapping[str, str] | None) -> QueryValues:
    """Each parameter's value from ``query`` (:func:`query_params`' dict): absent or empty →
    the default; refused → the default and the parameter's notice."""
    query = query or {}
    values: dict[str, object] = {}
    notes: list[tuple[str, str]] = []
    given = set()
    for param in params:
        raw = query.get(param.name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            values[param.name] = param.default_value()
            continue
        given.add(param.name)
        try:
            value = param.parse(text)
        except YibaoError as exc:
            notes.append((param.group, param.refused(text, exc)))
            value = param.default_value()
        if isinstance(value, Parsed):
            notes.extend((param.group, note) for note in value.notes)
            value = value.value
        values[param.name] = value
    return QueryValues(values, notes, frozenset(given))


def link_query(params: Sequence[Param], values: Mapping[str, object]) -> dict[str, str]:
    """The share link's parameters for ``values`` (by parameter name), in declaration order:
    ``None`` and empty values are left out, and so is a default where ``keep_default`` is off."""
    out: dict[str, str] = {}
    for param in params:
        if param.name not in values:
            continue
        value = values[param.name]
        if value is None or value == "" or value == [] or value == ():
            continue
        if not param.keep_default and value == param.default_value():
            continue
        out[param.name] = param.write(value)
    return out


# ---- parsers shared by the apps ---------------------------------------------------------------


def checked_text(check: Callable[[str], object]) -> Callable[[str], str]:
    """A parser that keeps the text as typed once ``check`` accepts it (money, years)."""

    def parse(text: str) -> str:
        check(text)
        return text

    return parse


def choice(known: Mapping[str, str]) -> Callable[[str], str]:
    """A parser for one of a few keys: ``known`` maps each accepted text (key, Chinese label …;
    matched case-insensitively) to its key."""

    def parse(text: str) -> str:
        value = known.get(text.casefold()) or known.get(text)
        if value is None:
            raise YibaoInputError(f"“{text}”无法识别。")
        return value

    return parse


FLAG_TRUE = frozenset({"1", "true", "yes", "y", "on", "是"})
FLAG_FALSE = frozenset({"0", "false", "no", "n", "off", "否"})


def flag(text: str) -> bool:
    """1/0 (also true/false, yes/no, 是/否)."""
    folded = text.casefold()
    if folded in FLAG_TRUE:
        return True
    if folded in FLAG_FALSE:
        return False
    raise YibaoInputError(f"应为 1 或 0，收到“{text}”。")


def one_of(values: Iterable[str]) -> Callable[[str], str]:
    """A parser accepting exactly one of ``values`` (no notice text of its own: the
    parameter's ``note`` says what is allowed)."""
    allowed = tuple(values)

    def parse(text: str) -> str:
        if text not in allowed:
            raise YibaoInputError(f"只能是 {' 或 '.join(allowed)}。")
        return text

    return parse


__all__ = [
    "Param", "Parsed", "QueryValues", "checked_text", "choice", "flag", "link_query", "one_of",
    "query_params", "raw_query_string", "read_query",
]  # fmt: skip
