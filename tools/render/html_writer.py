"""The HTML rendition: a bordered table per form with rowspan/colspan, in UTF-8,
GBK or GB18030, alone or inside a government site's page chrome."""

from __future__ import annotations

import html
from pathlib import Path

from .layout import Form, covered

HTML_STYLE = (
    "table.form{border-collapse:collapse;width:100%;font-size:12px}"
    "table.form td{border:1px solid #000;padding:3px 4px;vertical-align:middle}"
    "p.title{text-align:center;font-size:20px;font-weight:bold;margin:8px 0}"
    "p.year{text-align:center;margin:4px 0 8px}"
)


def html_table(form: Form, nbsp_empty: bool) -> str:
    cov = covered(form)
    out = ['<table class="form" border="1" cellspacing="0" cellpadding="0">']
    for r, row in enumerate(form.rows):
        cells = []
        for c, text in enumerate(row):
            m = cov.get((r, c))
            if m is not None and (m[0], m[1]) != (r, c):
                continue
            attrs = ""
            if m is not None:
                if m[2] > 1:
                    attrs += f' rowspan="{m[2]}"'
                if m[3] > 1:
                    attrs += f' colspan="{m[3]}"'
            if text:
                body = "<br>".join(html.escape(line, quote=False) for line in text.split("\n"))
            else:
                body = "&nbsp;" if nbsp_empty else ""
            align = ' align="center"' if len(text) <= 12 and "\n" not in text else ""
            cells.append(f"<td{attrs}{align}>{body}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_form(form: Form, nbsp_empty: bool = False) -> str:
    parts = []
    for text in form.paragraphs:
        cls = "title" if "自评表" in text else "year"
        parts.append(f'<p class="{cls}">{html.escape(text, quote=False)}</p>')
    parts.append(html_table(form, nbsp_empty))
    return "\n".join(parts)


CHROME_HEAD = """<header class="site-header">
<div class="logo">云岫县人民政府</div>
<nav><ul>
<li><a href="/">首页</a></li>
<li><a href="/zwgk/">政务公开</a></li>
<li><a href="/zwfw/">政务服务</a></li>
<li><a href="/hdjl/">互动交流</a></li>
<li><a href="/zjyx/">走进云岫</a></li>
</ul></nav>
</header>
<div class="breadcrumbs">当前位置：<a href="/">首页</a> &gt;
<a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/czzj/">财政资金</a> &gt; 绩效评价</div>
<article>
<h1 class="article-title">云岫县农业农村局2023年度项目支出绩效自评情况公开</h1>
<div class="article-meta">发布时间：2024-03-20 &nbsp; 来源：云岫县农业农村局 &nbsp;
浏览次数：<span>1024</span></div>
<div class="article-body">
<p>根据预算绩效管理有关规定，现将我局2023年度项目支出绩效自评情况公开如下：</p>
"""

CHROME_FOOT = """</div>
</article>
<footer class="site-footer">
<table class="links">
<tr><td colspan="3">相关链接</td></tr>
<tr><td><a href="#">国务院</a></td><td><a href="#">省人民政府</a></td>
<td><a href="#">市人民政府</a></td></tr>
<tr><td><a href="#">县财政局</a></td><td><a href="#">县统计局</a></td>
<td><a href="#">县审计局</a></td></tr>
</table>
<p>版权所有：云岫县人民政府办公室 &nbsp; 主办单位：云岫县人民政府办公室</p>
<p>网站标识码：5326210001 &nbsp; 备案号：滇ICP备00000000号 &nbsp; 联系电话：0876-0000000</p>
</footer>
"""

CHROME_STYLE = (
    ".site-header{background:#b40000;color:#fff;padding:8px}"
    ".site-header ul{list-style:none;margin:0;padding:0}"
    ".site-header li{display:inline;margin-right:16px}"
    ".site-header a{color:#fff}"
    ".breadcrumbs{font-size:12px;margin:8px 0}"
    ".site-footer{border-top:2px solid #b40000;font-size:12px;margin-top:24px}"
    "table.links td{padding:2px 12px}"
)


def render_html(forms: list[Form], path: Path, spec: dict[str, object]) -> str:
    """Write the page; return the encoding used."""
    chrome = bool(spec.get("html_chrome"))
    encoding = str(spec.get("html_encoding", "utf-8"))
    body_text = "\n".join(html_form(f, nbsp_empty=chrome) for f in forms)
    try:
        body_text.encode(encoding)
    except UnicodeEncodeError:
        encoding = "gb18030"
    if spec.get("html_meta") == "http-equiv":
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
    else:
        meta = f'<meta charset="{encoding}">'
    title = next((p for f in forms for p in f.paragraphs if "自评表" in p), "项目支出绩效自评表")
    style = HTML_STYLE + (CHROME_STYLE if chrome else "")
    page = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        meta,
        f"<title>{html.escape(title, quote=False)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
    ]
    if chrome:
        page.append(CHROME_HEAD.rstrip("\n"))
    page.append(body_text)
    if chrome:
        page.append(CHROME_FOOT.rstrip("\n"))
    page += ["</body>", "</html>", ""]
    path.write_bytes("\n".join(page).encode(encoding))
    return encoding
