"""``python -m yibao_lib.check``: a data folder checked on its own, in a few seconds."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from yibao_lib import DataError
from yibao_lib.check import BEGIN, END, check_folder, readme_with_schema, schema_markdown
from yibao_lib.store import TABLES, load_store

DATA = Path(__file__).resolve().parent.parent / "data"


def run_check(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "yibao_lib.check", *map(str, args)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.fixture
def copy(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def append(path: Path, line: str) -> int:
    """Append a row; return its row number as a spreadsheet shows it."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(path.read_text(encoding="utf-8").splitlines())


def test_the_data_passes_in_a_few_seconds():
    started = time.perf_counter()
    done = run_check()
    assert done.returncode == 0, done.stderr
    assert "数据检查通过" in done.stdout
    assert time.perf_counter() - started < 20  # a fresh interpreter included; typically ≈1 s


def test_overlapping_minimum_years_are_refused_naming_file_row_and_field(copy):
    path = copy / "min_years.csv"
    row = append(path, "110000,male,30,,,,2020-01-01,,in_force,S_BJ_GUIDING,aggregator,重复的一行")
    done = run_check(copy)
    assert done.returncode == 1
    assert "min_years.csv" in done.stderr and f"第{row}行" in done.stderr and "重叠" in done.stderr
    with pytest.raises(DataError) as info:
        check_folder(copy)
    assert (info.value.file, info.value.row, info.value.field) == ("min_years.csv", row, "effective_from")


def test_overlapping_average_pensions_are_refused(copy):
    path = copy / "avg_pensions.csv"
    line = "520000,2019,2700,enterprise,S_SEED000,seed,2026-12-03,测试"
    append(path, line)
    row = append(path, line.replace("2700", "2800"))
    with pytest.raises(DataError) as info:
        load_store(copy)
    assert (info.value.file, info.value.row) == ("avg_pensions.csv", row)


def test_a_region_code_outside_the_national_list_is_refused(copy):
    path = copy / "avg_pensions.csv"
    row = append(path, "999999,2022,3000,all,S_SEED000,seed,2026-12-03,")
    done = run_check(copy)
    assert done.returncode == 1 and f"第{row}行" in done.stderr and "region_code" in done.stderr


def test_a_source_without_address_says_why(copy):
    path = copy / "sources.csv"
    row = append(path, "S_TEST,某标题,某网站,,,2025,2026-12-03,aggregator,")
    with pytest.raises(DataError) as info:
        load_store(copy)
    assert (info.value.file, info.value.row, info.value.field) == ("sources.csv", row, "no_url_reason")


def test_readme_schema_is_generated_from_the_code():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    assert readme_with_schema(text) == text, "run: python -m yibao_lib.check --write-readme"
    generated = schema_markdown()
    for file_name, columns in TABLES.items():
        assert f"### {file_name}" in generated
        header = (DATA / file_name).read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert header == [c.name for c in columns], file_name
        assert all(c.doc for c in columns), file_name
