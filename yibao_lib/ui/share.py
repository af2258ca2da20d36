"""The share link under each app: a relative link carrying the inputs, and a copy button.

What goes into the link comes from the app's query declarations (:mod:`yibao_lib.ui.query`,
``link_query``), so what a link writes is what the app reads."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from .html import esc
from .inputs import LargeTextMode


def share_html(params: Mapping[str, object], large_text: LargeTextMode | None = None,
               label: str = "") -> str:  # fmt: skip
    """A relative link carrying the inputs (and ``big=1`` while ``large_text`` is on), and a
    button that copies the full address. ``label`` names the inputs in the link's text
    (深圳 · 66 岁), so that a pasted or forwarded link says what it shows."""
    if large_text is not None:
        params = large_text.link_params(params)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    href = f"?{query}"
    return (
        '<div class="yb-share">分享：'
        f'<a href="{esc(href)}" class="yb-share-link" target="_top">'
        f'{esc(label + " 的链接") if label else "当前输入的链接"}</a> '
        '<button type="button" class="yb-copy" '
        f'data-q="{esc(href)}" '
        "onclick=\"(function(b){var u=new URL(b.dataset.q, window.location.href).href;"
        "function done(){b.textContent='已复制';setTimeout(function(){b.textContent='复制链接';},2000);}"
        "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(u).then(done,function(){window.prompt('复制此链接：',u);});}"
        "else{window.prompt('复制此链接：',u);}})(this)\">复制链接</button></div>"
    )
