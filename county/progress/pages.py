"""The progress page's HTML: one column for a phone, big inputs, plain forms that work without
JavaScript. Every value from the store or the request goes through :func:`html.escape`.

``fill.js`` only reads ``#n=…&p=…`` (the receipt's QR code) into the form and submits it: the
fragment never reaches the server, so the password stays out of every access log.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Final

from app.evaluations.levels import LEVEL_LABELS, MAX_TEXT, REASON_LABELS, Level
from county.progress.facts import ProgressFacts
from county.progress.rating import RatingInput

WRONG: Final = "收件号/办件编号或查询密码不正确。"
TRY_LATER: Final = "该编号查询密码错误次数过多，已暂停查询，请一小时后再试。"
TOO_OFTEN: Final = "查询过于频繁，请稍等一分钟后再试。"
RATED_ENOUGH: Final = "本办件今天的评价次数已满，请明天再评价。"

STYLE: Final = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",
"Microsoft YaHei",sans-serif;font-size:18px;line-height:1.6;color:#1f2328;background:#f3f5f8}
main{max-width:34rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem;color:#0b4f9c}
h2{font-size:1.15rem;margin:0 0 .5rem}
section,form.card{background:#fff;border-radius:12px;padding:1rem;margin:0 0 1rem;
box-shadow:0 1px 3px rgba(0,0,0,.08)}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password],textarea{width:100%;font-size:1.2rem;padding:.75rem;
border:1px solid #8c959f;border-radius:8px}
textarea{min-height:6rem;font-size:1rem}
button{width:100%;font-size:1.2rem;padding:.85rem;margin-top:1rem;border:0;border-radius:8px;
background:#0b5cd5;color:#fff;font-weight:600}
fieldset{border:0;padding:0;margin:.75rem 0}
legend{font-weight:600;margin-bottom:.25rem}
label.choice{font-weight:400;display:flex;align-items:center;gap:.6rem;margin:.2rem 0;
padding:.55rem .6rem;border:1px solid #d0d7de;border-radius:8px}
label.choice input{width:1.3rem;height:1.3rem;flex:none}
.error{background:#fff1f0;border:1px solid #cf222e;color:#a40e26;border-radius:8px;
padding:.75rem;margin:0 0 1rem}
.hint{color:#57606a;font-size:.95rem}
.state{font-size:1.4rem;font-weight:700;color:#0b4f9c;margin:.25rem 0}
dl{margin:0;display:grid;grid-template-columns:6.5em 1fr;gap:.35rem .5rem}
dt{color:#57606a}dd{margin:0;word-break:break-all}
ul{margin:.25rem 0;padding-left:1.25rem}
"""

FILL_JS: Final = """(function () {
  var form = document.getElementById("query");
  var hash = window.location.hash.slice(1);
  if (!form || !hash) return;
  var given = new URLSearchParams(hash);
  var n = given.get("n"), p = given.get("p");
  if (n) form.elements.n.value = n;
  if (p) form.elements.p.value = p;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  if (n && p) form.submit();
})();
"""


def _page(base: str, title: str, body: str, *, script: bool = False) -> str:
    fill = f'<script src="{escape(base)}/fill.js"></script>' if script else ""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="{escape(base)}/style.css"></head>'
        f"<body><main>{body}</main>{fill}</body></html>"
    )


def _error(message: str, hint: str = "") -> str:
    if not message:
        return ""
    extra = f"<br>{escape(hint)}" if hint else ""
    return f'<p class="error" role="alert">{escape(message)}{extra}</p>'


def query_page(base: str, *, number: str = "", message: str = "", hint: str = "") -> str:
    """The form: number and password (the error above it, if any)."""
    body = (
        "<h1>办件进度查询</h1>"
        + _error(message, hint)
        + f'<form class="card" id="query" method="post" action="{escape(base)}">'
        '<p class="hint">请输入受理通知书或材料接收凭证上的收件号（或办件编号）和6位查询密码；'
        "扫描凭证上的二维码可自动填写。</p>"
        '<label for="n">收件号/办件编号</label>'
        f'<input type="text" id="n" name="n" value="{escape(number)}" required maxlength="64" '
        'autocomplete="off" autocapitalize="characters" spellcheck="false">'
        '<label for="p">查询密码</label>'
        '<input type="password" id="p" name="p" required maxlength="12" inputmode="numeric" '
        'autocomplete="off">'
        '<button type="submit">查询</button></form>'
        '<p class="hint">查询不需要登录。密码错误次数过多时，该编号将暂停查询一小时。</p>'
    )
    return _page(base, "办件进度查询", body, script=True)


def limited_page(base: str, message: str, hint: str = "") -> str:
    """The answer while a limit holds (HTTP 429)."""
    body = "<h1>办件进度查询</h1>" + _error(message, hint)
    body += f'<p><a href="{escape(base)}">返回查询</a></p>'
    return _page(base, "请稍后再试", body)


def _rows(rows: Iterable[tuple[str, str]]) -> str:
    return "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows if v)


def progress_page(
    base: str,
    facts: ProgressFacts,
    number: str,
    password: str,
    *,
    rating: RatingInput | None = None,
    message: str = "",
) -> str:
    """The answer to a right number and password, with the rating form below it."""
    step = f'<p class="hint">当前环节：{escape(facts.step_name)}</p>' if facts.step_name else ""
    if facts.to_bring:
        items = "".join(f"<li>{escape(line)}</li>" for line in facts.to_bring)
        bring = f"<p>{escape(facts.to_bring_title)}：</p><ul>{items}</ul>"
    else:
        bring = "<p>目前无需补交材料。</p>"
    body = (
        "<h1>办件进度</h1>"
        f'<section id="progress"><h2>当前进度</h2><p class="state">{escape(facts.state_label)}</p>'
        f"<p>{escape(facts.state_note)}</p>{step}</section>"
        "<section><h2>办件信息</h2><dl>"
        + _rows(
            [
                ("办件编号", facts.number),
                ("收件号", facts.receipt_no if facts.receipt_no != facts.number else ""),
                ("办理事项", facts.item_name),
                ("申请人", facts.applicant_name),
                ("证件号码", facts.applicant_id),
            ]
        )
        + "</dl></section><section><h2>办理时间</h2><dl>"
        + _rows(
            [
                ("收件日期", facts.received_on or "—"),
                ("受理日期", facts.accepted_on or "尚未受理"),
                ("承诺办结日期", facts.due_on or "受理后确定"),
                ("办结日期", facts.finished_on or "尚未办结"),
            ]
        )
        + f"</dl></section><section><h2>需要携带的材料</h2>{bring}</section>"
        f"<section><h2>领取地点</h2><p>{escape(facts.collect_at)}</p>"
        '<p class="hint">领取时请携带本人身份证件；委托他人领取的，另带委托书和受托人身份证件。</p>'
        "</section>" + _rating_form(base, number, password, rating, message)
    )
    return _page(base, "办件进度", body)


def _rating_form(
    base: str, number: str, password: str, rating: RatingInput | None, message: str
) -> str:
    chosen = rating or RatingInput("", (), "", False)
    levels = "".join(
        f'<label class="choice"><input type="radio" name="level" value="{level.value}"'
        f"{' checked' if chosen.level == str(level.value) else ''}>{escape(label)}</label>"
        for level, label in LEVEL_LABELS.items()
    )
    reasons = "".join(
        f'<label class="choice"><input type="checkbox" name="reasons" value="{reason.value}"'
        f"{' checked' if reason.value in chosen.reasons else ''}>{escape(label)}</label>"
        for reason, label in REASON_LABELS.items()
    )
    bad = "、".join(f"“{Level(c).label}”" for c in (4, 5))
    return (
        f'<form class="card" id="rate" method="post" action="{escape(base)}/rate#rate">'
        "<h2>评价本次服务</h2>"
        + _error(message)
        + f'<input type="hidden" name="n" value="{escape(number)}">'
        f'<input type="hidden" name="p" value="{escape(password)}">'
        f"<fieldset><legend>评价等级</legend>{levels}</fieldset>"
        f"<fieldset><legend>不满意的原因（选择{bad}时必选，可多选）</legend>{reasons}</fieldset>"
        f'<label for="text">文字评价（选填，不超过{MAX_TEXT}字）</label>'
        f'<textarea id="text" name="text" maxlength="{MAX_TEXT}">{escape(chosen.text)}</textarea>'
        '<label class="choice"><input type="checkbox" name="anonymous" value="1"'
        f"{' checked' if chosen.anonymous else ''}>匿名（不需要回访）</label>"
        '<button type="submit">提交评价</button></form>'
    )


def thanks_page(base: str, level: Level, anonymous: bool) -> str:
    if level.is_bad:
        follow = (
            "您选择了匿名评价，中心将核实整改，不会回访。"
            if anonymous
            else "中心将核实整改，并由工作人员与您联系回访。"
        )
    else:
        follow = "您的评价已记录。"
    body = (
        f'<h1>感谢您的评价</h1><section id="thanks"><p class="state">{escape(level.label)}</p>'
        f"<p>{escape(follow)}</p></section>"
        f'<p><a href="{escape(base)}">返回查询</a></p>'
    )
    return _page(base, "感谢您的评价", body)
