"""A broken data row gives an error naming the file, the row and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yibao_lib import DataError, YibaoError
from yibao_lib.store import get_store

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("YIBAO_DATA_DIR", str(copy))
    get_store.cache_clear()
    yield copy
    get_store.cache_clear()


def edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("credit_rules.csv", "SZ-1,440300,2022-01-01", "SZ-1,440300,2022-13-01", "effective_from"),
        ("credit_rules.csv", ",251,gross,", ",abc,gross,", "amount"),
        ("credit_rules.csv", "SZ-1,440300", "SZ-1,999999", "region_code"),
        ("credit_rules.csv", ",251,gross,month", ",251,gross,week", "unit"),
        ("regions.csv", "440300,", "4403,", "code"),
        ("regions.csv", "440300,", "999999,", "code"),
        ("min_years.csv", "110000,male,25", "110000,man,25", "sex"),
    ],
)
def test_broken_cell_names_file_row_and_field(broken_data, file, old, new, field):
    row = line_of(broken_data / file, old)
    edit(broken_data / file, old, new)
    with pytest.raises(DataError) as info:
        get_store()
    err = info.value
    assert (err.file, err.row, err.field) == (file, row, field)
    assert file in str(err) and f"第{row}行" in str(err) and field in str(err)
    assert isinstance(err, YibaoError)


def test_unknown_source_id(broken_data):
    path = broken_data / "credit_rules.csv"
    row = line_of(path, "SZ-1,")
    text = path.read_text(encoding="utf-8").splitlines()
    text[row - 1] = text[row - 1].replace("S_SHEBAO_SZ_20221214", "S_NOPE", 1)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        get_store()
    assert info.value.row == row and info.value.field == "source_ids" and "S_NOPE" in str(info.value)


def test_overlapping_age_bands(broken_data):
    path = broken_data / "credit_rules.csv"
    edit(path, "BJ-2,110000,,,primary,age_tiers,70,", "BJ-2,110000,,,primary,age_tiers,60,")
    with pytest.raises(DataError, match="重叠"):
        get_store()


def test_transfer_yaml_bad_confidence(broken_data):
    path = broken_data / "transfer.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("confidence: official", "confidence: surely"), encoding="utf-8")
    with pytest.raises(DataError, match=r"transfer\.yaml"):
        get_store()


def test_missing_file(broken_data):
    (broken_data / "sources.csv").unlink()
    with pytest.raises(DataError, match=r"sources\.csv"):
        get_store()
