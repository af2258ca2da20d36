"""Finding regions by name, alias, English name or GB/T 2260 code."""

from __future__ import annotations

import difflib
import numbers

from .errors import UnknownRegionError, YibaoInputError
from .inputs import shown
from .model import Region
from .store import get_store, normalise

# Suffixes people add or leave off: 广东省 / 广东, 深圳市 / 深圳, 新疆维吾尔自治区 / 新疆.
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "省", "市", "县", "区")


def find_region(name_or_code: str | int | Region) -> Region:
    """Return the region for a Chinese name (with or without 省/市), an alias, an English name,
    or a 6-digit code (str or int; 2- and 4-digit prefixes such as 44 or 4403 are padded).

    Raises :class:`UnknownRegionError` (a ``LookupError`` and ``ValueError``) with close matches.
    """
    if isinstance(name_or_code, Region):
        return name_or_code
    store = get_store()
    if isinstance(name_or_code, bool) or not isinstance(name_or_code, str | numbers.Integral):
        raise YibaoInputError(f"地区应填写名称或代码，收到的是“{shown(name_or_code)}”。")
    if isinstance(name_or_code, numbers.Integral) and not 0 <= name_or_code <= 999999:
        raise UnknownRegionError(shown(name_or_code), [])
    text = str(name_or_code).strip()[:50]
    if not text:
        raise UnknownRegionError("（空）", [])
    key = normalise(text)
    if key.isdigit() and len(key) in (2, 4):
        key = key.ljust(6, "0")
    code = store.lookup.get(key)
    if code is None:
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                code = store.lookup.get(key[: -len(suffix)])
                if code:
                    break
    if code is None:
        raise UnknownRegionError(shown(text), _suggestions(key))
    return store.regions[code]


def _suggestions(key: str, limit: int = 5) -> list[str]:
    store = get_store()
    names = []
    for code, region in store.regions.items():
        if region.is_national:
            continue
        candidates = (region.name, region.short_name, region.name_en, *region.aliases, code)
        if any(key and (key in normalise(c) or normalise(c) in key) for c in candidates):
            names.append(region.name)
    if len(names) < limit:
        close = difflib.get_close_matches(key, list(store.lookup), n=limit, cutoff=0.6)
        for match in close:
            name = store.regions[store.lookup[match]].name
            if name not in names and not store.regions[store.lookup[match]].is_national:
                names.append(name)
    return names[:limit]


def parent_of(region: Region) -> Region | None:
    """The region one level up (province for a city, 全国 for a province), or None for 全国."""
    return get_store().regions.get(region.parent_code) if region.parent_code else None


def region_chain(region: Region) -> list[Region]:
    """The region, then each parent up to 全国: the order in which rules are looked up."""
    return get_store().chain(region)


def all_regions() -> list[Region]:
    """Every region, 全国 first, then in code order."""
    return sorted(get_store().regions.values(), key=lambda r: (not r.is_national, r.code))


def regions():
    """All regions as a DataFrame: code, name, short_name, name_en, level, parent_code, aliases,
    parent_name, has_credit_rule."""
    import pandas as pd

    store = get_store()
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "short_name": r.short_name,
            "name_en": r.name_en,
            "level": r.level,
            "parent_code": r.parent_code,
            "parent_name": store.regions[r.parent_code].name if r.parent_code else None,
            "aliases": "|".join(r.aliases),
            "has_credit_rule": r.code in store.credit_rules,
        }
        for r in all_regions()
    ]
    return pd.DataFrame(rows)
