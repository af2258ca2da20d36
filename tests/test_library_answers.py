"""The questions the apps ask, each answered by one library call with a typed result:
whether an average pension applies, the credit by age, the minimum years by year, comparison
rows, and the sourced facts of the transfer guide and the home page."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yibao_lib import YibaoError, YibaoInputError, retiree_monthly_credit
from yibao_lib._tables import CONFIDENCE_LEVELS as DATA_LEVELS
from yibao_lib.credit import (
    CreditCurve,
    average_pension_need,
    compare_regions_rows,
    compare_rows,
    credit_by_age,
    retiree_answer,
)
from yibao_lib.facts import HOME_SECTIONS, home_facts, transfer_tips, what_moves
from yibao_lib.model import CONFIDENCE, CONFIDENCE_COLORS, CONFIDENCE_LABELS, CONFIDENCE_ORDER
from yibao_lib.results import weakest
from yibao_lib.transfer import Fact
from yibao_lib.years import minimum_years_check, requirement_by_year

ON = "2026-11-26"  # every figure below is the rules' on this day, whatever the clock says


# ---- whether an average pension is needed, and which one is used -------------------------------


def test_a_fixed_amount_needs_no_average_and_ignores_one_typed():
    need = average_pension_need("北京", 70, on=ON)
    assert (need.applies, need.required, need.what) == (False, False, None)
    answer = retiree_answer("北京", 70, on=ON, avg_pension="not a number")  # not even parsed
    assert answer.avg_pension is None and answer.credit.monthly_net == Decimal("107.00")
    assert answer.credit.steps and answer.credit.sources  # the result keeps its explanation


def test_a_share_rule_with_a_published_average_takes_a_typed_one_instead():
    need = average_pension_need("江苏", 70, on=ON)
    assert need.applies and not need.required and need.what
    published = retiree_answer("江苏", 70, on=ON)
    assert published.credit.base_origin in ("published", "rule") and published.avg_pension is None
    typed = retiree_answer("江苏", 70, on=ON, avg_pension="4000")
    assert typed.avg_pension == Decimal("4000") and typed.credit.base_origin == "user"
    assert typed.credit.monthly_gross == (Decimal("4000") * typed.credit.rate).quantize(Decimal("0.01"))
    assert typed.credit == retiree_monthly_credit("江苏", 70, on=ON, avg_pension="4000")


def test_a_typed_average_the_rules_refuse_names_it():
    with pytest.raises(YibaoInputError, match="平均养老金"):
        retiree_answer("江苏", 70, on=ON, avg_pension="-1")


def test_the_answer_is_one_call_the_same_as_the_two_the_app_used_to_make():
    for region in ("北京", "上海", "深圳", "广州", "江苏", "东莞", "湖南", "山西", "昆山"):
        for age in (62, 70, 80, 95):
            answer = retiree_answer(region, age, on=ON, avg_pension="3700")
            plain = retiree_monthly_credit(region, age, on=ON)
            if plain.method == "pension_share":
                plain = retiree_monthly_credit(region, age, on=ON, avg_pension="3700")
            assert answer.need.applies is (plain.method == "pension_share"), (region, age)
            assert answer.credit == plain, (region, age)


# ---- the credit by age --------------------------------------------------------------------------


@pytest.mark.parametrize("region", ["北京", "上海", "深圳", "江苏", "佛山", "昆山", "山西", "西藏"])
def test_credit_by_age_is_retiree_monthly_credit_age_by_age(region):
    curve = credit_by_age(region, on=ON)
    assert isinstance(curve, CreditCurve) and curve.ages
    expected = []
    for age in range(50, 101):
        try:
            expected.append((age, retiree_monthly_credit(region, age, on=ON).monthly_net))
        except YibaoError:
            continue
    assert list(zip(curve.ages, curve.monthly_net, strict=True)) == expected
    first = retiree_monthly_credit(region, curve.ages[0], on=ON)
    assert curve.rule_region == first.rule_region and curve.fallback is first.fallback
    assert curve.at(curve.ages[0]) == first.monthly_net and curve.at(30) is None


def test_credit_by_age_with_a_typed_average_and_the_ages_asked():
    curve = credit_by_age("江苏", on=ON, avg_pension="4000", ages=range(60, 66))
    assert curve.ages == tuple(range(60, 66)) and curve.avg_pension == Decimal("4000")
    assert set(curve.monthly_net) == {retiree_monthly_credit("江苏", 60, on=ON, avg_pension="4000").monthly_net}


def test_credit_by_age_says_when_an_average_is_missing(monkeypatch):
    import yibao_lib.credit as credit

    def nothing_published(rule, asked, rule_region, avg):
        if rule.method == "pension_share" and avg is None:
            raise credit.MissingInputError("请输入平均养老金。", field="avg_pension")
        return real(rule, asked, rule_region, avg)

    real = credit._base_for
    monkeypatch.setattr(credit, "_base_for", nothing_published)
    curve = credit_by_age("江苏", on=ON)
    assert curve.ages == () and curve.missing == "请输入平均养老金。" and not curve.complete
    need = average_pension_need("江苏", 70, on=ON)
    assert need.applies and need.required
    answer = retiree_answer("江苏", 70, on=ON)
    assert answer.credit is None and answer.missing == "请输入平均养老金。"


# ---- the minimum years by year ------------------------------------------------------------------


def test_requirement_by_year_is_the_check_of_each_first_of_june():
    timeline = requirement_by_year("湖南", "男")
    assert [r.year for r in timeline.rows] == list(range(2023, 2031))
    for row in timeline.rows:
        check = minimum_years_check("湖南", "male", 0, on=f"{row.year}-06-01")
        assert (row.required_total, row.required_local, row.phasing_in) == (
            check.required_total, check.required_local, check.phasing_in,
        )  # fmt: skip
        assert row.result.steps and row.result.sources
    assert timeline.changing and timeline.worth_showing and timeline.has_local
    assert timeline.covers(2026) and not timeline.covers(2040)


def test_a_rule_that_does_not_change_is_not_worth_a_table():
    timeline = requirement_by_year("北京", "女", years=range(2024, 2027))
    assert not timeline.changing and not timeline.phasing and not timeline.worth_showing


# ---- comparison rows ---------------------------------------------------------------------------


def test_compare_rows_are_typed_and_match_the_dicts():
    rows = compare_rows(70, on=ON)
    dicts = compare_regions_rows(70, on=ON)
    assert [row.as_dict() for row in rows] == list(dicts)
    beijing = next(row for row in rows if row.short_name == "北京")
    assert beijing.monthly_net == retiree_monthly_credit("北京", 70, on=ON).monthly_net
    assert beijing.contested and beijing.confidence_label == CONFIDENCE_LABELS["contested"]
    with_figures = [row.monthly_net for row in rows if row.has_figure]
    assert with_figures == sorted(with_figures, reverse=True)


# ---- sourced facts -----------------------------------------------------------------------------


def test_transfer_facts_are_typed_with_sources():
    for facts in (what_moves(), transfer_tips()):
        assert facts and all(isinstance(f, Fact) for f in facts)
        assert all(f.sources and f.confidence in CONFIDENCE_LABELS for f in facts)


@pytest.mark.parametrize("section", sorted(HOME_SECTIONS))
def test_home_facts_are_typed_with_sources(section):
    facts = home_facts(section)
    assert facts and all(f.text and f.sources for f in facts)
    assert all(f.confidence_label == CONFIDENCE_LABELS[f.confidence] for f in facts)


# ---- one place for the confidence levels -------------------------------------------------------


def test_confidence_levels_have_one_order_label_and_colour():
    assert CONFIDENCE_ORDER == DATA_LEVELS  # what data/ may say is what the apps can show
    assert list(CONFIDENCE_LABELS) == list(CONFIDENCE_COLORS) == list(CONFIDENCE_ORDER)
    assert all(level.label and level.colour.startswith("#") for level in CONFIDENCE)
    assert weakest(["official", "contested", "media"]) == "contested"
    assert weakest(CONFIDENCE_ORDER[:3]) == CONFIDENCE_ORDER[2]
