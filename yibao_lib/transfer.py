"""Moving the insurance relation and the personal-account balance to a new place (转移接续).

Rule: 《基本医疗保险关系转移接续暂行办法》（医保办发〔2021〕43号）, data/transfer.yaml. The
rule is about moving *between* pooling areas (统筹地区: mostly the prefecture-level city; a
municipality as a whole): within one pooling area nothing is transferred. The origin finishes
transfer-out within 10 working days, the destination transfer-in within 5 more: 15 working days
in all (青海 adds up to 5 to credit the account; within 山东 the whole transfer takes at most 9,
鲁医保发〔2021〕54号). An offline application can be lodged at either side's window (seeds 002,
004). Retirees are outside that rule; within 广东 the account is used across cities without a
transfer; where the destination cannot receive, or for retirees resettled in another province,
the balance can be paid to a bank account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import DataError, YibaoInputError
from .inputs import to_date
from .model import CONFIDENCE_LABELS, Region, Source
from .regions import find_region, pooling_area
from .results import Explained, weakest
from .store import get_store
from .workdays import Deadline, add_working_days

ROUTES = ("cross_province", "within_province", "no_transfer_needed", "bank_payout", "blocked")
ROUTE_LABELS = {
    "cross_province": "跨省转移接续",
    "within_province": "省内跨统筹区转移接续",
    "no_transfer_needed": "无需转移：个人账户省内跨市通用",
    "bank_payout": "余额划入本人银行账户",
    "blocked": "不适用全国转移接续办法",
}
SAME_AREA_LABEL = "无需转移：同一统筹地区内"
ACTOR_LABELS = {"person": "本人", "origin": "转出地医保经办机构", "destination": "转入地医保经办机构"}
WINDOW_LABELS = {"origin": "原参保地（转出地）医保经办机构窗口", "destination": "新参保地（转入地）医保经办机构窗口"}
SCHEMES = {"employee": "职工医保", "resident": "城乡居民医保"}
CHANNELS = {"online": "线上办理", "offline": "线下窗口办理"}
GUANGDONG = "440000"


@dataclass(frozen=True)
class Document:
    id: str
    name: str
    issued_by: str
    purpose: str


@dataclass(frozen=True)
class Fact:
    """A sourced statement shown beside a plan (a lapse rule, a reported duration …)."""

    text: str
    confidence: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Step:
    order: int
    actor: str
    text: str
    documents: tuple[Document, ...]
    due: Deadline | None
    limit_text: str | None
    sources: tuple[Source, ...]

    @property
    def actor_label(self) -> str:
        return ACTOR_LABELS[self.actor]


@dataclass(frozen=True)
class TransferPlan(Explained):
    """What to do, in which order, with which papers and by when.

    ``route`` is one of ``ROUTES``. ``blockers`` are preconditions not met yet (the plan still
    shows the route that applies once they are done). ``deadline`` is the latest completion by
    rule counted from ``start`` (None where no time limit applies). ``reported_durations`` are
    individual reports, not rules, and are kept apart from the legal limits.

    ``same_pooling_area`` is the pooling area both places belong to when no transfer is needed
    for that reason (None otherwise). For an offline transfer, ``windows`` lists where the
    application can be lodged (``origin`` / ``destination``) and ``window`` the one the steps
    follow; ``window_fact`` says so, with its sources. ``account_steps`` are what the two offices do with the account by seed 003's words;
    ``regional`` are regional rules and facts that apply to this move (山东's 9 working days).
    """

    origin: Region
    destination: Region
    scheme: str
    retired: bool
    relocated: bool
    channel: str
    start: date
    route: str
    blockers: tuple[str, ...]
    steps: tuple[Step, ...]
    deadline: Deadline | None
    reported_durations: tuple[Fact, ...]
    lapse_rules: tuple[Fact, ...]
    wallet: tuple[Fact, ...]
    conditions: tuple[Fact, ...]
    confidence: str
    sources: tuple[Source, ...]
    notes: tuple[str, ...]
    same_pooling_area: Region | None = None
    windows: tuple[str, ...] = ()
    window: str | None = None
    window_fact: Fact | None = None
    account_steps: tuple[Fact, ...] = ()
    regional: tuple[Fact, ...] = ()

    @property
    def route_label(self) -> str:
        if self.route == "no_transfer_needed" and self.same_pooling_area is not None:
            return SAME_AREA_LABEL
        return ROUTE_LABELS[self.route]

    @property
    def ready(self) -> bool:
        return not self.blockers and self.route != "blocked"

    @property
    def estimated(self) -> bool:
        return any(s.due is not None and s.due.estimated for s in self.steps)

    def checklist(self) -> tuple[Document, ...]:
        """Every document the plan mentions, once, in order of first use."""
        return tuple(dict.fromkeys(d for s in self.steps for d in s.documents))

    def explain(self) -> str:
        head = [f"{self.origin.name} → {self.destination.name}：{self.route_label}"]
        head += [f"需先办理：{b}" for b in self.blockers]
        for step in self.steps:
            line = f"第{step.order}步（{step.actor_label}）：{step.text.rstrip('。')}"
            if step.documents:
                line += "；材料：" + "、".join(d.name for d in step.documents)
            if step.due:
                line += f"；最迟 {step.due.date:%Y-%m-%d}" + ("（估算）" if step.due.estimated else "")
                if step.limit_text:
                    line += f"（{step.limit_text}）"
            head.append(line)
        if self.deadline:
            head.append("按规定最迟完成：" + self.deadline.describe())
        head += [f"个案反馈（非规定）：{f.text}" for f in self.reported_durations]
        head += [f"注：{n}" for n in self.notes]
        head.append(f"可信度：{self.confidence_label}")
        head += [f"来源：{s.cite()}" for s in self.sources]
        return "\n".join(head)


def province_of(region: Region) -> Region:
    """The province-level region containing ``region`` (itself for a province)."""
    for candidate in get_store().chain(region):
        if candidate.level == "province":
            return candidate
    raise YibaoInputError("请选择具体的省或市，而不是“全国”。")


def transfer_plan(
    origin: str | int | Region,
    destination: str | int | Region,
    *,
    scheme: str = "employee",
    retired: bool = False,
    relocated: bool = False,
    stopped_at_origin: bool = True,
    enrolled_at_destination: bool = True,
    destination_connected: bool = True,
    channel: str = "online",
    window: str | None = None,
    start: date | str | None = None,
) -> TransferPlan:
    """Plan the transfer from ``origin`` to ``destination`` starting on ``start`` (default today).

    Two places of one pooling area (浦东新区 → 徐汇区, 南山区 → 福田区, or one place twice) need no
    transfer: route ``no_transfer_needed``. ``destination_connected`` False means the destination
    cannot receive the balance (e.g. not connected to the national platform), so the balance is
    paid to the person's bank account. ``window`` (offline only): ``destination`` (the default:
    stop at the origin, then apply at the new place) or ``origin`` (apply at the origin's window).
    """
    src, dst = find_region(origin), find_region(destination)
    if not isinstance(scheme, str) or scheme not in SCHEMES:
        raise YibaoInputError("参保类型请选择“职工医保”（employee）或“城乡居民医保”（resident）。")
    if not isinstance(channel, str) or channel not in CHANNELS:
        raise YibaoInputError("办理方式请选择“线上”（online）或“线下”（offline）。")
    if window is not None and (not isinstance(window, str) or window not in WINDOW_LABELS):
        raise YibaoInputError("线下申请的窗口请选择“原参保地”（origin）或“新参保地”（destination）。")
    flags = dict(retired=retired, relocated=relocated, stopped_at_origin=stopped_at_origin,
                 enrolled_at_destination=enrolled_at_destination,
                 destination_connected=destination_connected)  # fmt: skip
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise YibaoInputError(f"“{name}”只能是“是”或“否”。")
    src_province, dst_province = province_of(src), province_of(dst)
    day = to_date(start, "申请日期")
    if scheme == "resident" and retired:
        raise YibaoInputError("城乡居民医保没有“退休”的概念，请把“已退休”改为“否”。")
    store = get_store()
    data = store.transfer
    same_province = src_province.code == dst_province.code
    area = pooling_area(src)
    if src.code == dst.code or area.code == pooling_area(dst).code:
        return _same_area_plan(src, dst, area, scheme, retired, relocated, channel, day)
    used: list[dict] = [data["rule"]]

    if scheme == "employee" and retired:
        route = "bank_payout" if relocated and not same_province else "blocked"
    elif not destination_connected:
        route = "bank_payout"
    elif scheme == "employee" and same_province and src_province.code == GUANGDONG:
        route = "no_transfer_needed"
    else:
        route = "within_province" if same_province else "cross_province"

    blockers = []
    if route in ("cross_province", "within_province", "no_transfer_needed"):
        if not stopped_at_origin:
            blockers.append(f"先在{src.name}办理停保（中止参保），并确认没有欠费。")
        if not enrolled_at_destination:
            what = "下一年度的城乡居民医保" if scheme == "resident" else "职工医保"
            blockers.append(f"先在{dst.name}参加{what}。")

    docs = _documents(data)
    steps: list[Step] = []
    notes: list[str] = []
    regional: list[Fact] = []
    deadline = None
    windows: tuple[str, ...] = ()
    chosen: str | None = None
    window_fact: Fact | None = None
    account_steps: tuple[Fact, ...] = ()

    def add(actor: str, text: str, item: dict | None = None, documents=(), due=None, limit_text=None):
        sources = tuple(store.sources_for(item["source_ids"])) if item else ()
        if item:
            used.append(item)
        steps.append(Step(len(steps) + 1, actor, text, tuple(documents), due, limit_text, sources))

    if route in ("cross_province", "within_province"):
        limits = {t["id"]: t for t in data["time_limits"]}
        extra = [e for e in data["regional_extra_days"]
                 if e.get("applies_to", "destination") == "destination" and e["region_code"] == dst_province.code]  # fmt: skip
        override = None
        if route == "within_province":
            override = next((o for o in data["regional_time_limits"]
                             if o["applies_to"] == "within_province"
                             and o["region_code"] == src_province.code), None)  # fmt: skip
        extra_days = sum(e["working_days"] for e in extra)
        if override is None:
            out_days = limits["transfer_out"]["working_days"]
            in_days = limits["transfer_in"]["working_days"] + extra_days
            due = {
                "transfer_out": (add_working_days(day, out_days), f"{out_days}个工作日内"),
                "transfer_in": (add_working_days(day, out_days + in_days), f"再{in_days}个工作日内"),
            }
            used += [limits["transfer_out"], limits["transfer_in"], limits.get("total", limits["transfer_in"])]
        else:
            total = override["working_days"]
            where = f"{src_province.short_name}省内" if src_province.kind == "省" else f"{src_province.name}内"
            out_due = add_working_days(day, total)
            due = {
                "transfer_out": (out_due, f"{where}转出、转入合计{total}个工作日内"),
                "transfer_in": (add_working_days(day, total + extra_days), f"{where}全程{total}个工作日内"),
            }
            used.append(override)
            regional.append(_fact(store, override))
        chosen = (window or "destination") if channel == "offline" else None
        for item in data["routes"][channel]["steps"]:
            if item.get("window") not in (None, chosen):
                continue
            limit = item.get("time_limit")
            when, limit_text = due.get(limit, (None, None))
            add(item["actor"], item["text"], item, [docs[d] for d in item.get("documents") or []],
                when, limit_text)  # fmt: skip
        used += extra
        deadline = due["transfer_in"][0]
        if override is None:
            notes.append(
                f"时限按规定从申请之日（{day:%Y-%m-%d}）起推算：转出地{out_days}个工作日、"
                f"转入地{in_days}个工作日" + ("（含青海省入账另加的工作日）" if extra else "") + "。"
            )
        else:
            notes.append(
                f"时限按规定从申请之日（{day:%Y-%m-%d}）起推算：{override['text']}"
            )
            if override.get("note"):
                notes.append(override["note"])
        if route == "within_province" and override is None:
            notes.append("省内跨统筹区转移同样适用《暂行办法》；部分省份另有更细的规定，以当地为准。")
        if channel == "offline":
            offline = data["routes"]["offline"]["windows"]
            windows = tuple(offline["places"])
            other = next((w for w in windows if w != chosen), None)
            text = offline["text"]
            if other is not None:
                text += f"下面的步骤按在{WINDOW_LABELS[chosen]}申请列出；也可以改到{WINDOW_LABELS[other]}申请。"
            notes.append(text)
            window_fact = _fact(store, offline)
        if scheme == "employee":
            account_steps = tuple(_fact(store, i) for i in data["account_steps"])
            label = CONFIDENCE_LABELS[weakest(f.confidence for f in account_steps)]
            notes.append(f"另有说法（{label}）：" + "；".join(f.text.rstrip("。") for f in account_steps) + "。")
        else:
            notes.append("城乡居民医保没有个人账户，转移的是参保关系和参保缴费记录。")
    else:
        special = _special(data, route, scheme, retired)
        if route == "no_transfer_needed":
            add("person", f"在{src.name}停保、在{dst.name}参保（职工医保关系在省内接续）。", data["rule"])
        elif route == "bank_payout":
            add("person", f"向{src.name}医保经办机构申请将个人账户余额划入本人银行账户，"
                "带上身份证、社保卡（具体材料以当地要求为准）。", special,
                [d for k, d in docs.items() if d.issued_by == "person"])  # fmt: skip
        else:
            add("person", f"向{src.name}医保经办机构或拨打12333咨询退休人员的办理办法"
                "（如异地就医备案）。", special)  # fmt: skip
        add("origin" if route == "bank_payout" else "person", special["text"], special)

    conditions = _facts(store, data, "conditions", lambda i: scheme == "resident" or "resident" not in i["id"])
    reported = _facts(store, data, "reported_durations")
    lapse = _facts(store, data, "lapse")
    wallet = _facts(store, data, "wallet")
    levels = [i["confidence"] for i in used if "confidence" in i]
    sources = tuple(store.sources_for(dict.fromkeys(s for i in used for s in i["source_ids"])))
    return TransferPlan(
        origin=src, destination=dst, scheme=scheme, retired=retired, relocated=relocated,
        channel=channel, start=day, route=route, blockers=tuple(blockers), steps=tuple(steps),
        deadline=deadline, reported_durations=reported, lapse_rules=lapse, wallet=wallet,
        conditions=conditions, confidence=weakest(levels or ["official"]), sources=sources,
        notes=tuple(notes), windows=windows, window=chosen, window_fact=window_fact,
        account_steps=account_steps, regional=tuple(regional),
    )  # fmt: skip


def _same_area_plan(src: Region, dst: Region, area: Region, scheme: str, retired: bool,
                    relocated: bool, channel: str, day: date) -> TransferPlan:  # fmt: skip
    """Both places in one pooling area (or one place twice): nothing to transfer."""
    store = get_store()
    data = store.transfer
    special = next(e for e in data["special_routes"] if e["id"] == "same_pooling_area")
    municipality = area.kind == "直辖市"
    if src.code == dst.code:
        where = f"转出地和转入地都是{src.name}"
        if municipality:
            where += f"，{area.name}全市是一个统筹地区"
    else:
        inside = [r.name for r in (src, dst) if r.code != area.code]
        if len(inside) == 2:
            where = f"{inside[0]}和{inside[1]}都属{area.name}"
        else:
            where = f"{inside[0]}属{area.name}"
        where += f"，{area.name}全市是一个统筹地区" if municipality else "，两地是同一个统筹地区"
    if area.level == "province" and not municipality:
        first = f"{where}：在同一个地方，不需要办理转移接续。"
    else:
        first = f"{where}：医保关系不跨统筹地区，不需要办理转移接续。"
    sources = tuple(store.sources_for(special["source_ids"]))
    steps = [
        Step(1, "person", first, (), None, None, sources),
        Step(2, "person", special["text"], (), None, None, sources),
    ]
    notes = []
    if area.level == "province" and area.kind != "直辖市":
        notes.append(f"如果是在{area.name}内两个城市之间流动，请分别填写具体的城市，才能看出要不要转移。")
    elif area.kind != "直辖市":
        notes.append("职工医保一般以地级市为统筹地区；当地如另有统筹安排（如省直单位、县级统筹），以当地医保部门为准。")
    if retired:
        notes.append("已退休人员在同一统筹地区内搬家，医保待遇照常享受，不需要转移。")
    province = province_of(area)
    regional = tuple(_fact(store, f) for f in data["regional_facts"]
                     if f["region_code"] == province.code and f.get("route") == "no_transfer_needed")  # fmt: skip
    notes += [f.text for f in regional]
    return TransferPlan(
        origin=src, destination=dst, scheme=scheme, retired=retired, relocated=relocated,
        channel=channel, start=day, route="no_transfer_needed", blockers=(), steps=tuple(steps),
        deadline=None, reported_durations=(), lapse_rules=(), wallet=_facts(store, data, "wallet"),
        conditions=(), confidence=special["confidence"], sources=sources, notes=tuple(notes),
        same_pooling_area=area, regional=regional,
    )  # fmt: skip


def _documents(data: dict) -> dict[str, Document]:
    return {d["id"]: Document(d["id"], d["name"], d["issued_by"], d.get("purpose", "")) for d in data["documents"]}


def _fact(store, item: dict) -> Fact:
    return Fact(item["text"], item["confidence"], tuple(store.sources_for(item["source_ids"])))


def _facts(store, data: dict, section: str, keep=lambda item: True) -> tuple[Fact, ...]:
    return tuple(_fact(store, i) for i in data[section] if keep(i))


# Which special_routes entry (data/transfer.yaml) explains each non-standard route.
SPECIAL_ROUTE_IDS = {
    "no_transfer_needed": "guangdong_within_province",
    "bank_payout_retiree": "relocated_retirees",
    "bank_payout": "destination_not_connected",
    "blocked": "retirees_not_covered",
}


def _special(data: dict, route: str, scheme: str, retired: bool) -> dict:
    """The special_routes entry that explains ``route`` for this person."""
    key = "bank_payout_retiree" if route == "bank_payout" and retired else route
    wanted = SPECIAL_ROUTE_IDS[key]
    for entry in data["special_routes"]:
        if entry["id"] == wanted:
            return entry
    raise DataError("transfer.yaml", None, "special_routes", f"缺少“{wanted}”这一项")
