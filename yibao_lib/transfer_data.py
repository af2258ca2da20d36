"""Reading ``data/transfer.yaml``: the transfer procedure, its documents, limits and reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ._tables import data_dir
from .errors import DataError
from .model import CONFIDENCE_ORDER

FILE = "transfer.yaml"
LIST_SECTIONS = (
    "coverage", "conditions", "documents", "time_limits", "regional_extra_days",
    "regional_time_limits", "regional_facts", "special_routes", "account_steps",
    "reported_durations", "lapse", "what_moves", "balance_check_channels", "family_sharing",
    "wallet", "tips",
)  # fmt: skip
ACTORS = ("person", "origin", "destination")
WINDOWS = ("origin", "destination")  # where an offline application can be lodged
# ``regional_time_limits[].applies_to``: ``within_province`` — both places in that province.
REGIONAL_SCOPES = ("within_province",)


def load_transfer(check_sources: Callable[[str, int | None, tuple], None]) -> dict:
    """Load and check transfer.yaml; items are plain dicts with tuples of source ids."""
    import yaml

    path = data_dir() / FILE
    try:
        # libyaml's loader when PyYAML has it (10× faster, same result), else the pure-Python one
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except FileNotFoundError:
        raise DataError(FILE, None, None, "文件不存在") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise DataError(FILE, None if line is None else line + 1, None, f"YAML 格式错误：{exc}") from None
    if not isinstance(data, dict):
        raise DataError(FILE, None, None, "顶层必须是映射")

    def item(section: str, entry: object, index: int, *, needs_confidence: bool = True) -> dict:
        where = f"{section}[{index}]"
        if not isinstance(entry, dict):
            raise DataError(FILE, None, where, "必须是映射")
        ids = entry.get("source_ids")
        if not isinstance(ids, list) or not ids:
            raise DataError(FILE, None, f"{where}.source_ids", "每一项都必须注明来源")
        check_sources(FILE, None, tuple(ids))
        entry["source_ids"] = tuple(ids)
        if needs_confidence and entry.get("confidence") not in CONFIDENCE_ORDER:
            raise DataError(FILE, None, f"{where}.confidence", f"“{entry.get('confidence')}”不是允许的可信度")
        return entry

    rule = data.get("rule")
    if not isinstance(rule, dict) or "title" not in rule:
        raise DataError(FILE, None, "rule", "缺少规则名称")
    item("rule", rule, 0, needs_confidence=False)
    for section in LIST_SECTIONS:
        entries = data.get(section)
        if not isinstance(entries, list) or not entries:
            raise DataError(FILE, None, section, "缺少这一部分或为空")
        for i, entry in enumerate(entries):
            item(section, entry, i)
    doc_ids = {d.get("id") for d in data["documents"]}
    limit_ids = {d.get("id") for d in data["time_limits"]}
    for entry in data["time_limits"] + data["regional_extra_days"] + data["regional_time_limits"]:
        if not isinstance(entry.get("working_days"), int) or entry["working_days"] <= 0:
            raise DataError(FILE, None, f"{entry.get('id')}.working_days", "必须是正整数")
    for section in ("regional_extra_days", "regional_time_limits", "regional_facts"):
        for entry in data[section]:
            code = entry.get("region_code")
            if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
                raise DataError(FILE, None, f"{entry.get('id')}.region_code", "必须是带引号的6位行政区划代码")
    for entry in data["regional_time_limits"]:
        if entry.get("applies_to") not in REGIONAL_SCOPES:
            raise DataError(FILE, None, f"{entry.get('id')}.applies_to", "只能是 within_province")
    for entry in data["account_steps"]:
        if entry.get("actor") not in ACTORS:
            raise DataError(FILE, None, f"{entry.get('id')}.actor", "必须是 person、origin 或 destination")
    routes = data.get("routes")
    if not isinstance(routes, dict) or set(routes) != {"online", "offline"}:
        raise DataError(FILE, None, "routes", "必须恰好有 online 和 offline 两条办理途径")
    for channel, route in routes.items():
        steps = route.get("steps") if isinstance(route, dict) else None
        if not steps:
            raise DataError(FILE, None, f"routes.{channel}.steps", "缺少办理步骤")
        for i, step in enumerate(steps):
            item(f"routes.{channel}.steps", step, i)
            where = f"routes.{channel}.steps[{i}]"
            if step.get("actor") not in ACTORS:
                raise DataError(FILE, None, f"{where}.actor", "必须是 person、origin 或 destination")
            for doc in step.get("documents") or []:
                if doc not in doc_ids:
                    raise DataError(FILE, None, f"{where}.documents", f"材料“{doc}”不在 documents 中")
            limit = step.get("time_limit")
            if limit is not None and limit not in limit_ids:
                raise DataError(FILE, None, f"{where}.time_limit", f"时限“{limit}”不在 time_limits 中")
            if step.get("window") is not None and step["window"] not in WINDOWS:
                raise DataError(FILE, None, f"{where}.window", "必须是 origin 或 destination")
    windows = routes["offline"].get("windows")
    item("routes.offline.windows", windows, 0)
    places = windows.get("places")
    if not isinstance(places, list) or not places or any(p not in WINDOWS for p in places):
        raise DataError(FILE, None, "routes.offline.windows.places", "必须是 origin、destination 组成的列表")
    for quote in windows.get("quotes") or []:
        if quote.get("source_id") not in windows["source_ids"] or not quote.get("text"):
            raise DataError(FILE, None, "routes.offline.windows.quotes", "每条原文都要有 text 和本项 source_ids 里的 source_id")
    issued = rule.get("issued")
    if isinstance(issued, str):
        rule["issued"] = date.fromisoformat(issued)
    return data
