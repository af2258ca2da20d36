"""The apps' shared stylesheet, readable for older people on a phone.

Follows the 工信部《互联网网站适老化通用设计规范》(2021) and WCAG 2.2:

* body text 16 px (18 px in 大字模式), line height at least 1.3 (1.6 here), no text under 14 px;
  the key figure of a result (``.yb-big``) at least 28 px (30 px in 大字模式);
* every input, button, toggle, checkbox row, link and fold at least 44×44 CSS px to tap, at
  least 60 px high in 大字模式;
* a visible focus ring, contrast of text at least 4.5:1, state never shown by colour alone (a
  pressed toggle and the 大字模式 switch show ✓, notices carry a sign);
* nothing disables the phone's own font scaling (no ``text-size-adjust: none``): WeChat's
  关怀模式 and the system font size enlarge the page further.

大字模式 is the class ``yb-big-text`` on the app's root (``.yb-app``), set by
:class:`yibao_lib.ui.common.LargeTextMode`. ipywidgets size their rows from
``--jp-widgets-inline-height`` and their text from ``--jp-widgets-font-size``: both are set on
the app root, so every widget (inputs, dropdowns, date pickers, buttons, toggle buttons) follows.
The page around the app (the notebook's Markdown) is styled by the Voilà template
(share/jupyter/voila/templates/yibao/index.html.j2) with the same figures.
"""

from __future__ import annotations

from ..model import CONFIDENCE_COLORS

BODY_PX = 16
BIG_TEXT_BODY_PX = 18
KEY_FIGURE_MIN_PX = 28
BIG_TEXT_KEY_FIGURE_MIN_PX = 30
SMALLEST_TEXT_PX = 14
TARGET_PX = 44
BIG_TEXT_TARGET_PX = 60
BIG_TEXT_CLASS = "yb-big-text"

FOCUS_RING = (
    "#0b2f5e"  # navy: 13:1 on white, visible on the blue primary button with the inner ring
)

_BADGES = "".join(
    f".yb-badge-{level} {{ background: {color}; }}\n" for level, color in CONFIDENCE_COLORS.items()
)

# The look every app shares (unchanged in spirit from the first version; sizes raised).
BASE_CSS = (
    """
.yb-app { max-width: 760px; margin: 0 auto; box-sizing: border-box;
  font-size: 16px; line-height: 1.6;
  --jp-widgets-font-size: 16px; --jp-widgets-inline-height: 44px;
  --jp-widgets-inline-label-width: 7em; --jp-widgets-input-border-color: #767676; }
.yb-app * { box-sizing: border-box; }
.yb-app .widget-text, .yb-app .widget-dropdown, .yb-app .widget-combobox, .yb-app .widget-datepicker,
.yb-app .widget-select, .yb-app .widget-textarea, .yb-app .widget-inline-hbox { width: 100% !important; max-width: 100%; }
.yb-app .widget-label { min-width: 7em; font-size: inherit; }
.yb-app input, .yb-app select, .yb-app textarea { font-size: inherit !important; min-height: 44px; }
.yb-app .widget-button, .yb-app .jupyter-button { font-size: inherit; min-height: 44px; min-width: 44px; }
.yb-app .widget-html, .yb-app .widget-html-content { width: 100%; max-width: 100%; overflow-wrap: anywhere; }
.yb-app .widget-html-content { font-size: inherit; line-height: 1.6; }
.yb-app h3 { font-size: 1.25em; line-height: 1.4; margin: 0.8em 0 0.4em; }
.yb-card { border: 1px solid #8c959f; border-radius: 10px; padding: 14px 16px; margin: 8px 0; background: #fff; }
.yb-big { font-size: 2em; font-weight: 700; color: #0b5394; line-height: 1.3; }
.yb-sub { color: #555; }
.yb-app .yb-small, .yb-app .yb-table .yb-small { font-size: 14px; line-height: 1.5; }  /* fine print only */
.yb-app input::placeholder, .yb-app textarea::placeholder { color: #6e7781; opacity: 1; }
.yb-steps { margin: 6px 0 6px 1.2em; padding: 0; }
.yb-badge { display: inline-block; border-radius: 999px; padding: 0 10px; font-size: 1em; line-height: 1.6; color: #fff; white-space: nowrap; }
"""
    + _BADGES
    + """.yb-notice { border-left: 4px solid #9a6700; background: #fff8c5; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
.yb-error { border-left: 4px solid #cf222e; background: #ffebe9; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
.yb-ok { border-left: 4px solid #1a7f37; background: #dafbe1; padding: 8px 12px; margin: 8px 0; border-radius: 4px; }
.yb-sources { color: #444; margin: 4px 0 0 1.2em; padding: 0; }
.yb-chart { width: 100%; max-width: 100%; }
.yb-chart svg, .yb-chart img { width: 100% !important; height: auto !important; }
.yb-app .yb-table { border-collapse: collapse; width: 100%; font-size: inherit; }
.yb-app .yb-table th, .yb-app .yb-table td { font-size: inherit; line-height: 1.5; border-bottom: 1px solid #d0d7de; padding: 6px 6px; text-align: left; }
.yb-table td.num, .yb-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
.yb-scroll { max-width: 100%; overflow-x: auto; }
@media (max-width: 480px) { .yb-big { font-size: 1.8em; } .yb-app .widget-label { min-width: 5.5em; } }
"""
)

# ipywidgets give each widget a 2px margin on either side; with the full width set above, every
# input was 4px wider than the app, so the app could be scrolled sideways by 4px and the right
# border of a result card was cut off (seen on a 390-px phone). The widgets made full-width get
# no side margin instead. A DatePicker keeps ipywidgets' fixed height while its input may be
# taller (min-height above), so it overlapped whatever came next: let it grow.
FULL_WIDTH_NO_SIDE_MARGIN_CSS = (
    ".yb-app .widget-text, .yb-app .widget-dropdown, .yb-app .widget-combobox, "
    ".yb-app .widget-datepicker, .yb-app .widget-select, .yb-app .widget-textarea, "
    ".yb-app .widget-inline-hbox, .yb-app .widget-html "
    "{ margin-left: 0 !important; margin-right: 0 !important; }\n"
    ".yb-app .widget-datepicker { height: auto !important; }\n"
)

# Tap targets, focus, state cues, the share row, the 大字模式 switch and the 朗读 button.
READABLE_CSS = (
    """
/* widget rows grow with their content instead of clipping it; text-only widgets (and the ones
   holding only a stylesheet) take no room of their own */
.yb-app .widget-inline-hbox { height: auto; min-height: var(--jp-widgets-inline-height); align-items: center; }
.yb-app .widget-html { min-height: 0; }
.yb-app .yb-style { display: none !important; }
.yb-app .widget-label { height: auto; align-self: center; line-height: 1.4; white-space: normal; overflow: visible; }
/* links: underlined (not colour alone) and big enough to tap, also when they wrap */
.yb-app a { color: #0a58ca; text-decoration: underline; text-underline-offset: 0.15em; }
.yb-app a[href] { display: inline-flex; align-items: center; min-height: 44px; min-width: 44px; }
.yb-app summary { min-height: 44px; padding: 8px 0; cursor: pointer; line-height: 1.6; }
/* toggle buttons (男/女 …): tall, and the pressed one marked with ✓ and a dark border */
.yb-app .widget-toggle-buttons .widget-toggle-button { min-height: 44px; min-width: 60px; height: auto;
  font-size: inherit; line-height: 1.4; padding: 4px 12px; border: 1px solid #767676; }
.yb-app .widget-toggle-button.mod-active { border: 2px solid #0b2f5e; font-weight: 700; }
.yb-app .widget-toggle-buttons .widget-toggle-button.mod-active::before { content: "✓ "; }
/* checkboxes: the whole labelled row is the target */
.yb-app .widget-checkbox { width: 100% !important; height: auto !important; min-height: 44px; }
.yb-app .widget-checkbox .widget-label-basic { display: flex; align-items: center; gap: 10px; width: 100%;
  min-height: 44px; padding: 6px 0; cursor: pointer; line-height: 1.4; white-space: normal; overflow: visible; }
.yb-app .widget-checkbox .widget-label-basic span { white-space: normal !important; overflow: visible !important; }
.yb-app .widget-checkbox input[type="checkbox"] { width: 24px; height: 24px; min-height: 0 !important; margin: 0; flex: none; }
/* a focus ring that shows on white and on the blue primary button; drawn inside the control,
   because the widget boxes around the controls clip what sticks out. (.yb-app three times:
   ipywidgets' own "outline: none" rules are as specific as .yb-app plus two classes) */
.yb-app.yb-app.yb-app :focus-visible { outline: 3px solid """
    + FOCUS_RING
    + """ !important; outline-offset: -3px !important;
  box-shadow: inset 0 0 0 5px #ffd33d !important; }
.yb-app.yb-app.yb-app :is(a, summary):focus-visible { outline-offset: 0 !important; box-shadow: none !important;
  background: #fff8c5; }
.yb-app.yb-app.yb-app .yb-big-switch input:focus-visible { outline-offset: 2px !important; box-shadow: none !important; }
/* a sign before each kind of message, so colour is not the only cue */
.yb-notice::before { content: "⚠ "; content: "⚠ " / ""; }
.yb-error::before { content: "✖ "; content: "✖ " / ""; }
.yb-ok::before { content: "✔ "; content: "✔ " / ""; }
/* the share row: a link and a copy button, both button-sized */
.yb-share { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin: 8px 0; }
.yb-share a.yb-share-link, .yb-share .yb-copy { display: inline-flex; align-items: center; justify-content: center;
  min-height: 44px; padding: 4px 14px; border: 1px solid #0a58ca; border-radius: 8px; background: #fff;
  color: #0a58ca; font-size: inherit; font-family: inherit; cursor: pointer; }
/* 大字模式 switch: a checkbox drawn as a switch (knob moves, ✓ inside when on) */
.yb-app .yb-big-switch { margin: 0 0 8px; }
.yb-app .yb-big-switch .widget-label-basic { font-weight: 700; }
.yb-app .yb-big-switch input[type="checkbox"] { appearance: none; -webkit-appearance: none; position: relative;
  width: 56px; height: 32px; border-radius: 16px; border: 2px solid #57606a; background: #eaeef2; cursor: pointer; }
.yb-app .yb-big-switch input[type="checkbox"]::before { content: ""; position: absolute; top: 2px; left: 2px;
  width: 24px; height: 24px; border-radius: 50%; background: #57606a; transition: left 0.15s;
  color: #fff; font-size: 16px; line-height: 24px; text-align: center; }
.yb-app .yb-big-switch input[type="checkbox"]:checked { background: #0b5394; border-color: #0b5394; }
.yb-app .yb-big-switch input[type="checkbox"]:checked::before { left: 26px; background: #fff; color: #0b5394; content: "✓"; font-weight: 700; }
/* 朗读: shown only where the browser has a Chinese voice (the template sets yb-can-speak) */
.yb-speak { display: none; }
html.yb-can-speak .yb-speak { display: inline-flex; align-items: center; justify-content: center; gap: 4px;
  float: right; margin: 0 0 6px 10px; min-height: 44px; min-width: 44px; padding: 4px 14px;
  border: 1px solid #0a58ca; border-radius: 8px; background: #fff; color: #0a58ca;
  font-size: 16px; font-family: inherit; line-height: 1.4; cursor: pointer; }
html.yb-can-speak .yb-speak[aria-pressed="true"] { background: #0a58ca; color: #fff; }
.yb-card::after { content: ""; display: block; clear: both; }
"""
)

# 大字模式: 18 px text, key figures at least 30 px, every target at least 60 px high. On a phone
# the input labels go above their inputs, so the inputs keep the width of the screen.
BIG_TEXT_CSS = """
.yb-app.yb-big-text { font-size: 18px; --jp-widgets-font-size: 18px; --jp-widgets-inline-height: 60px; }
.yb-app.yb-big-text .yb-big { font-size: 2em; }
.yb-app.yb-big-text .yb-small, .yb-app.yb-big-text .yb-table .yb-small { font-size: 16px; }
.yb-app.yb-big-text input, .yb-app.yb-big-text select, .yb-app.yb-big-text textarea,
.yb-app.yb-big-text .widget-button, .yb-app.yb-big-text .jupyter-button,
.yb-app.yb-big-text .widget-toggle-buttons .widget-toggle-button,
.yb-app.yb-big-text a[href], .yb-app.yb-big-text summary,
.yb-app.yb-big-text .widget-checkbox, .yb-app.yb-big-text .widget-checkbox .widget-label-basic,
.yb-app.yb-big-text .yb-share a.yb-share-link, .yb-app.yb-big-text .yb-share .yb-copy { min-height: 60px; }
.yb-app.yb-big-text a[href], .yb-app.yb-big-text .widget-button, .yb-app.yb-big-text .jupyter-button { min-width: 60px; }
.yb-app.yb-big-text summary { padding: 16px 0; }
.yb-app.yb-big-text .widget-checkbox input[type="checkbox"] { width: 30px; height: 30px; }
.yb-app.yb-big-text .yb-big-switch input[type="checkbox"] { width: 68px; height: 38px; border-radius: 19px; }
.yb-app.yb-big-text .yb-big-switch input[type="checkbox"]::before { width: 30px; height: 30px; line-height: 30px; font-size: 18px; }
.yb-app.yb-big-text .yb-big-switch input[type="checkbox"]:checked::before { left: 32px; }
.yb-app.yb-big-text .yb-chart svg text { font-size: 17.5px; }  /* labels added to a chart (18 px on a phone) */
html.yb-can-speak .yb-app.yb-big-text .yb-speak { min-height: 60px; min-width: 60px; font-size: 18px; }
@media (max-width: 480px) {
  .yb-app.yb-big-text .yb-big { font-size: 1.8em; }
  .yb-app.yb-big-text .widget-inline-hbox:not(.widget-checkbox):not(.widget-html) { flex-wrap: wrap; }
  .yb-app.yb-big-text .widget-inline-hbox:not(.widget-checkbox) > .widget-label:not([style*="display: none"]) {
    flex: 1 0 100%; max-width: 100%; text-align: left; min-height: 0; line-height: 1.4; margin: 6px 0 2px; }
  .yb-app.yb-big-text .widget-inline-hbox:not(.widget-checkbox) > input,
  .yb-app.yb-big-text .widget-inline-hbox:not(.widget-checkbox) > select { flex: 1 0 100%; max-width: 100%; margin-left: 0; margin-right: 0; }
}
"""

CSS = (
    "\n<style>"
    + BASE_CSS
    + FULL_WIDTH_NO_SIDE_MARGIN_CSS
    + READABLE_CSS
    + BIG_TEXT_CSS
    + "</style>\n"
)

__all__ = [
    "BIG_TEXT_BODY_PX",
    "BIG_TEXT_CLASS",
    "BIG_TEXT_KEY_FIGURE_MIN_PX",
    "BIG_TEXT_TARGET_PX",
    "BODY_PX",
    "CSS",
    "FULL_WIDTH_NO_SIDE_MARGIN_CSS",
    "KEY_FIGURE_MIN_PX",
    "SMALLEST_TEXT_PX",
    "TARGET_PX",
]
