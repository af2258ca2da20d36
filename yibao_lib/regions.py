"""Finding regions by what people type: a name with or without its suffix, a parent before it,
an alias, an English name or a GB/T 2260 code of any level.

>>> find_region("长沙").code, find_region("浦东").name, find_region("北京市朝阳区").code
('430100', '浦东新区', '110105')

A name shared by several places of the same level (朝阳区 in 北京 and 长春) is never resolved
silently: :class:`AmbiguousRegionError` lists each candidate with its parent. When a short name
belongs to places of different levels, the higher level is meant (吉林 → 吉林省, 朝阳 → 朝阳市);
the others are reached with their full name or their parent (吉林市, 北京朝阳).
"""

from __future__ import annotations

import difflib
import functools
import numbers
import re

from .errors import AmbiguousRegionError, UnknownRegionError, YibaoInputError
from .inputs import shown
from .model import Region
from .registry import Registry
from .store import get_store, normalise

_LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "county": 3}
# 朝阳区（北京市）/ 朝阳区(北京): the form the apps show for a shared name.
_WITH_PARENT = re.compile(r"^(?P<name>.+?)[（(](?P<parent>[^（）()]+)[）)]$")
MAX_LENGTH = 50


def find_region(name_or_code: str | int | Region) -> Region:
    """Return the region for what a person typed.

    Accepted: a Chinese name with or without its suffix (长沙 / 长沙市, 浦东 / 浦东新区, 恩施 /
    恩施州 / 恩施土家族苗族自治州), a parent before the name (广东深圳, 深圳市南山区, 北京市朝阳区)
    or after it in brackets (朝阳区（北京市）), an alias or English name, or a 6-digit code (str
    or int; 2- and 4-digit prefixes such as 44 or 4403 are padded).

    Raises :class:`UnknownRegionError` with close matches, or :class:`AmbiguousRegionError`
    listing the candidates; both are ``LookupError`` and ``ValueError``.
    """
    if isinstance(name_or_code, Region):
        return name_or_code
    if isinstance(name_or_code, bool) or not isinstance(name_or_code, str | numbers.Integral):
        raise YibaoInputError(f"地区应填写名称或代码，收到的是“{shown(name_or_code)}”。")
    if isinstance(name_or_code, numbers.Integral) and not 0 <= name_or_code <= 999999:
        raise UnknownRegionError(shown(name_or_code), [])
    text = "000000" if name_or_code == 0 else str(name_or_code).strip()[:MAX_LENGTH]
    if not text:
        raise UnknownRegionError("（空）", [])
    store = get_store()
    key = normalise(text)
    if key.isdigit() and len(key) in (2, 4):
        key = key.ljust(6, "0")
    codes = _resolve(store.registry, key)
    if not codes:
        outside = store.registry.outside.get(key) or store.registry.outside.get(_strip_parent(key))
        if outside:
            raise UnknownRegionError(
                shown(text), [],
                message=f"“{shown(text)}”属于{outside}，那里不实行内地的职工基本医疗保险；"
                "本工具只计算内地31个省、自治区、直辖市的规定。",
            )  # fmt: skip
        raise UnknownRegionError(shown(text), _suggestions(key))
    if len(codes) > 1:
        raise AmbiguousRegionError(shown(text), [label(store.regions[c]) for c in codes])
    return store.regions[codes[0]]


def label(region: Region) -> str:
    """A county-level name with its parent, as the apps show it (many are shared):
    朝阳区（北京市）, 昆山市（苏州市）; a province or prefecture by its name alone."""
    parent = parent_of(region)
    if region.level != "county" or parent is None:
        return region.name
    return f"{region.name}（{parent.name}）"


def _strip_parent(key: str) -> str:
    match = _WITH_PARENT.match(key)
    return match.group("name") if match else key


@functools.lru_cache(maxsize=8192)
def _resolve(registry: Registry, key: str) -> tuple[str, ...]:
    """Codes the key may mean, after preferring exact names and higher levels."""
    match = _WITH_PARENT.match(key)
    if match:
        parents = set(_resolve(registry, match.group("parent")))
        named = _direct(registry, match.group("name"))
        return _prefer(registry, (c for c in named if _has_ancestor(registry, c, parents)))
    direct = _direct(registry, key)
    if direct:
        return _prefer(registry, direct)
    return _prefer(registry, _with_parent_prefix(registry, key) or _with_parent_after(registry, key))


def _direct(registry: Registry, key: str) -> tuple[str, ...]:
    return registry.exact.get(key) or registry.short.get(key) or ()


def _with_parent_prefix(registry: Registry, key: str) -> tuple[str, ...]:
    """广东深圳, 深圳市南山区, 湖北省武汉市江汉区: a parent (itself possibly prefixed), then a
    name among its descendants."""
    found: dict[str, None] = {}
    for cut in range(2, len(key) - 1):
        tail = _direct(registry, key[cut:])
        if not tail:
            continue
        heads = set(_resolve(registry, key[:cut]))
        for code in tail:
            if heads and _has_ancestor(registry, code, heads):
                found[code] = None
    return tuple(found)


def _with_parent_after(registry: Registry, key: str) -> tuple[str, ...]:
    """朝阳区北京, 南山区深圳: a name, then its parent (without brackets)."""
    found: dict[str, None] = {}
    for cut in range(2, len(key) - 1):
        heads = _direct(registry, key[:cut])
        parents = set(_direct(registry, key[cut:])) if heads else set()
        for code in heads:
            if parents and _has_ancestor(registry, code, parents):
                found[code] = None
    return tuple(found)


def _has_ancestor(registry: Registry, code: str, ancestors: set[str]) -> bool:
    region = registry.regions[code]
    while region.parent_code:
        if region.parent_code in ancestors:
            return True
        region = registry.regions[region.parent_code]
    return False


def _prefer(registry: Registry, codes) -> tuple[str, ...]:
    """One code when the highest level among them has only one; otherwise all of that level."""
    codes = tuple(dict.fromkeys(codes))
    if len(codes) <= 1:
        return codes
    regions = registry.regions
    top = min(_LEVEL_RANK[regions[c].level] for c in codes)
    return tuple(sorted(c for c in codes if _LEVEL_RANK[regions[c].level] == top))


def _suggestions(key: str, limit: int = 5) -> list[str]:
    """Close names for a typo: names containing what was typed (or contained in it), then the
    most similar names sharing a character with it, higher levels first among equals."""
    store = get_store()
    registry = store.registry
    pool = _keys_by_char(registry)
    candidates = set().union(*(pool.get(ch, ()) for ch in set(key))) if key else set()
    scored = []
    for name in candidates:
        codes = registry.exact.get(name) or registry.short.get(name)
        contains = len(key) >= 2 and (key in name or (len(name) >= 2 and name in key))
        ratio = difflib.SequenceMatcher(None, key, name).ratio()
        if contains or ratio >= 0.5:
            level = min(_LEVEL_RANK[store.regions[c].level] for c in codes)
            scored.append((not contains, -ratio, level, name, codes))
    names: list[str] = []
    for *_, codes in sorted(scored):
        names.extend(label(store.regions[c]) for c in codes if c != "000000")
    return list(dict.fromkeys(names))[:limit]


@functools.cache
def _keys_by_char(registry: Registry) -> dict[str, frozenset[str]]:
    """Every Chinese name key by each of its characters, for typo suggestions."""
    index: dict[str, set[str]] = {}
    for name in (*registry.exact, *registry.short):
        for ch in set(name):
            if "\u4e00" <= ch <= "\u9fff":
                index.setdefault(ch, set()).add(name)
    return {ch: frozenset(names) for ch, names in index.items()}


def parent_of(region: Region) -> Region | None:
    """The region one level up (province for a city, 全国 for a province), or None for 全国."""
    return get_store().regions.get(region.parent_code) if region.parent_code else None


def pooling_area(region: Region) -> Region:
    """The pooling area (统筹地区) a place belongs to: a district, county or county-level city
    belongs to its prefecture-level city; a municipality's district to the municipality (one
    pooling area); a county-level city under the province (仙桃, 济源) is its own; a city or a
    province is itself."""
    if region.level == "county" and region.parent_code:
        parent = get_store().regions[region.parent_code]
        if parent.level == "city" or parent.kind == "直辖市":
            return parent
    return region


def region_chain(region: Region) -> list[Region]:
    """The region, then each parent up to 全国: the order in which rules are looked up."""
    return get_store().chain(region)


def all_regions() -> list[Region]:
    """Every region, 全国 first, then in code order."""
    return sorted(get_store().regions.values(), key=lambda r: (not r.is_national, r.code))


def regions():
    """All regions as a DataFrame: code, name, short_name, name_en, level, kind, parent_code,
    parent_name, aliases, has_credit_rule."""
    import pandas as pd

    store = get_store()
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "short_name": r.short_name,
            "name_en": r.name_en,
            "level": r.level,
            "kind": r.kind,
            "parent_code": r.parent_code,
            "parent_name": store.regions[r.parent_code].name if r.parent_code else None,
            "aliases": "|".join(r.aliases),
            "has_credit_rule": r.code in store.credit_rules,
        }
        for r in all_regions()
    ]
    return pd.DataFrame(rows)
