"""The home page's dynamic part: checked-on date, balance channels, family sharing, 医保钱包."""

from __future__ import annotations

import re

import pytest

import yibao_lib
from yibao_lib.apps import home
from yibao_lib.apps.home import HomeApp, home_facts
from yibao_lib.ui.common import esc


def text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture(scope="module")
def page() -> str:
    return HomeApp.from_query("").content.value


def test_checked_on_date_and_disclaimer(page):
    checked = yibao_lib.data_checked_on()
    assert f"{checked:%Y年%m月%d日}" in page
    assert "以当地医保部门规定为准" in page


@pytest.mark.parametrize("section", sorted(home.SECTIONS))
def test_every_fact_of_a_section_is_shown_with_badge_and_sources(page, section):
    facts = home_facts(section)
    assert facts
    raw = yibao_lib.get_store().transfer[section]
    assert [f.id for f in facts] == [item["id"] for item in raw]
    assert home.SECTIONS[section] in page
    block = re.search(rf"yb-home-{section}'>(.*?)</ul></div>(?=<div class=\"yb-card|$)", page, re.S)
    assert block, section
    items = block.group(1).split("<li class='yb-fact'>")[1:]
    assert len(items) == len(facts)
    for fact, item in zip(facts, items, strict=True):
        assert esc(fact.text) in item
        assert f"yb-badge-{fact.confidence}" in item
        assert fact.sources and all(esc(s.cite()) in item for s in fact.sources)


def test_channels_carry_names_and_the_password_advice(page):
    channels = home_facts("balance_check_channels")
    assert {"支付宝", "微信", "12333服务热线"} <= {c.title for c in channels}
    advice = [c.advice for c in channels if c.advice]
    assert advice and any("密码" in a for a in advice)
    assert "初始（默认）密码" in page and "不要和其他账号用同一个密码" in page
    assert "123456" not in page  # never print a password


def test_wallet_limits_and_family_scope_come_from_the_data(page):
    assert "2000元" in text(page) and "22点" in text(page)
    assert "兄弟姐妹" in text(page)


def test_unknown_section_is_refused():
    with pytest.raises(KeyError):
        home_facts("passwords")


def test_a_broken_data_load_shows_a_chinese_error(monkeypatch):
    def broken():
        raise yibao_lib.DataError("transfer.yaml", 3, "wallet", "格式错误")

    monkeypatch.setattr(home, "data_checked_on", broken)
    app = HomeApp()
    assert "yb-error" in app.content.value and "数据文件有误" in app.content.value
    assert "yb-app" in app.widget._dom_classes
