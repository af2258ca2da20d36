"""The cache of the checked store: never another store than checking the files gives."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from yibao_lib import _tables, store


def same(a: store.Store, b: store.Store) -> bool:
    """Equal field by field (the registry is hashed by identity, so compare what it holds)."""

    def fields(obj) -> dict:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

    left, right = fields(a), fields(b)
    return fields(left.pop("registry")) == fields(right.pop("registry")) and left == right


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("YIBAO_CACHE_DIR", str(folder))
    return folder


def test_the_cached_store_is_the_checked_store(cache):
    first = store.cached_store()  # checks the files, writes the cache
    files = list(cache.glob("store-*.pickle"))
    assert len(files) == 1
    second = store.cached_store()  # reads the cache
    assert second is not first
    assert same(second, first) and same(second, store.load_store())
    assert second.regions["430100"].name == "长沙市"


def test_a_changed_data_file_is_a_new_key(tmp_path, cache):
    copy = tmp_path / "data"
    shutil.copytree(_tables.data_dir(), copy)
    before = store.cache_key(copy)
    assert store.cache_key(copy) == before  # stable
    sources = copy / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert store.cache_key(copy) != before
    assert store.cache_key(copy) != store.cache_key()  # another folder, another key


def test_an_unreadable_cache_is_checked_again(cache):
    good = store.cached_store()
    (path,) = cache.glob("store-*.pickle")
    path.write_bytes(b"not a pickle")
    assert same(store.cached_store(), good)
    assert path.read_bytes() != b"not a pickle"  # written again


def test_one_cache_file_at_a_time(cache):
    cache.mkdir()
    stale = cache / "store-0123456789abcdef.pickle"
    stale.write_bytes(b"old")
    store.cached_store()
    assert [p.name for p in cache.glob("store-*.pickle")] == [f"store-{store.cache_key()}.pickle"]


def test_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("YIBAO_CACHE_DIR", "off")
    assert store.cache_dir() is None
    assert same(store.cached_store(), store.load_store())


def test_broken_data_is_never_cached(tmp_path, cache, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(_tables.data_dir(), copy)
    rules = copy / "credit_rules.csv"
    lines = rules.read_text(encoding="utf-8").splitlines()
    rules.write_text("\n".join([lines[0], lines[1].replace(",", ",,", 1), *lines[2:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv("YIBAO_DATA_DIR", str(copy))
    with pytest.raises(store.DataError):
        store.cached_store()
    assert not cache.exists() or not list(cache.glob("store-*.pickle"))
