// The audit page's behaviour: sorting and filtering the table, the drill-down dialog.
// No request is made: the forms' data is the JSON in #forms-data.
(function () {
  "use strict";
  var forms = JSON.parse(document.getElementById("forms-data").textContent);
  var table = document.getElementById("forms");
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var collator = new Intl.Collator("zh-CN", { numeric: true });

  // -- sorting: click a column heading; again to reverse --------------------
  function sortBy(col, descending) {
    var numeric = heads[col].getAttribute("data-type") === "num";
    var keyed = rows.map(function (row, k) {
      var cell = row.cells[col];
      var key;
      if (numeric) {
        var v = cell.getAttribute("data-v");
        key = v === "" || v === null ? null : parseFloat(v);
      } else {
        key = cell.textContent.trim();
        if (key === "") key = null;
      }
      return { row: row, key: key, k: k };
    });
    keyed.sort(function (a, b) {
      // empty cells go last whichever the direction
      if (a.key === null || b.key === null) {
        return a.key === b.key ? a.k - b.k : a.key === null ? 1 : -1;
      }
      var c = numeric ? a.key - b.key : collator.compare(a.key, b.key);
      if (descending) c = -c;
      return c || a.k - b.k;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (item) { frag.appendChild(item.row); });
    tbody.appendChild(frag);
    rows = keyed.map(function (item) { return item.row; });
    heads.forEach(function (th, k) {
      if (k === col) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    });
  }
  heads.forEach(function (th, col) {
    th.addEventListener("click", function () {
      sortBy(col, th.getAttribute("aria-sort") === "ascending");
    });
    th.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        sortBy(col, th.getAttribute("aria-sort") === "ascending");
      }
    });
  });

  // -- filtering: text, year, failing check ---------------------------------
  var q = document.getElementById("q");
  var year = document.getElementById("year");
  var check = document.getElementById("check");
  var shown = document.getElementById("shown");
  function applyFilter() {
    var words = q.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var y = year.value;
    var c = check.value;
    var n = 0;
    rows.forEach(function (row) {
      var failing = row.getAttribute("data-failing");
      var text = (row.textContent + " " + row.getAttribute("data-key")).toLowerCase();
      var ok =
        (!y || row.getAttribute("data-year") === y) &&
        (!c || (c === "generous" ? row.hasAttribute("data-generous")
          : c === "*" ? failing !== "" : (" " + failing + " ").indexOf(" " + c + " ") >= 0)) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) n += 1;
    });
    shown.textContent = "显示 " + n + " / " + rows.length + " 张表";
  }
  q.addEventListener("input", applyFilter);
  year.addEventListener("change", applyFilter);
  check.addEventListener("change", applyFilter);

  // -- drill-down -------------------------------------------------------------
  var dialog = document.getElementById("detail");
  var body = document.getElementById("detail-body");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== "") node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    });
    return node;
  }

  // a cell with its figure, and under it each failing check that concerns it
  function cell(text, flags, field, form, extraClass) {
    var marks = (flags && flags[field]) || [];
    var classes = [extraClass || "", marks.length ? "bad" : ""].join(" ").trim();
    var td = el("td", { "class": classes, "data-field": field }, [text]);
    marks.forEach(function (k) {
      var c = form.checks[k];
      td.appendChild(el("div", { "class": "flag", "data-check": c.code }, ["✗ " + c.name + "：" + c.message]));
    });
    return td;
  }

  function listTable(headings, bodyRows, id) {
    return el("table", { "class": "list", id: id }, [
      el("thead", null, [el("tr", null, headings.map(function (h) { return el("th", null, [h]); }))]),
      el("tbody", null, bodyRows),
    ]);
  }

  function show(i) {
    var f = forms[i];
    if (!f) return;
    var parts = [];
    parts.push(el("h3", { id: "detail-title" }, [f.project || f.title || "（无名称）"]));
    var source = ["来源：", el("code", null, [f.path || "（内存）"]), "，第 " + f.form + " 张表"];
    if (f.pages) source.push("，" + f.pages);
    source.push("（" + f.format + "）");
    parts.push(el("p", { "class": "meta", id: "detail-source" }, source));
    if (f.title) parts.push(el("p", { "class": "meta" }, [f.title + (f.year ? "（" + f.year + " 年度）" : "")]));
    if (f.header.length) {
      parts.push(el("p", { "class": "meta" }, f.header.map(function (pair) {
        return pair[0] + "：" + pair[1] + "　";
      })));
    }
    var converted = f.money_unit && f.money_unit !== "元";
    parts.push(el("h4", null, ["资金（元" + (converted ? "；表中单位为" + f.money_unit + "，已折算" : "") + "）"]));
    if (f.lines.length) {
      parts.push(listTable(
        ["项目", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "位置"],
        f.lines.map(function (ln) {
          return el("tr", null, [
            el("td", null, [ln.label]),
            cell(ln.initial, ln.f, "initial", f, "num"),
            cell(ln.annual, ln.f, "annual", f, "num"),
            cell(ln.executed, ln.f, "executed", f, "num"),
            cell(ln.weight, ln.f, "weight", f, "num"),
            cell(ln.rate, ln.f, "rate", f, "num"),
            cell(ln.score, ln.f, "score", f, "num"),
            el("td", { "class": "where" }, [ln.where]),
          ]);
        }),
        "detail-funding"
      ));
    } else {
      parts.push(el("p", null, ["（未读到资金表）"]));
    }
    parts.push(el("h4", null, ["绩效指标"]));
    var indRows = f.indicators.map(function (ind) {
      var att = ind.attained === true ? el("span", { "class": "attained-yes" }, ["✓ 达成"])
        : ind.attained === false ? el("span", { "class": "attained-no" }, ["✗ 未达成"]) : "—";
      return el("tr", ind.attained === false ? { "class": "missed" } : null, [
        cell(ind.level1, ind.f, "level1", f),
        el("td", null, [ind.level2]),
        el("td", null, [ind.name]),
        el("td", null, [ind.target]),
        el("td", null, [ind.actual]),
        cell(ind.weight, ind.f, "weight", f, "num"),
        cell(ind.score, ind.f, "score", f, "num"),
        el("td", null, [att]),
        el("td", null, [ind.note]),
        el("td", { "class": "where" }, [ind.where]),
      ]);
    });
    var t = f.total;
    indRows.push(el("tr", { "class": "total" }, [
      el("td", null, ["总分"]), el("td"), el("td"), el("td"), el("td"),
      cell(t.weight, t.f, "weight", f, "num"),
      cell(t.score, t.f, "score", f, "num"),
      el("td", null, [t.grade]), el("td"), el("td"),
    ]));
    parts.push(listTable(
      ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "达成", "偏差原因", "位置"],
      indRows,
      "detail-indicators"
    ));
    parts.push(el("h4", null, ["检查（" + f.passed + " 项通过，" + f.checks.length + " 项未通过）"]));
    if (f.checks.length) {
      parts.push(el("ul", { "class": "checks", id: "detail-checks" }, f.checks.map(function (c) {
        return el("li", { "class": "bad", "data-check": c.code }, [c.name + "：" + c.message]);
      })));
    }
    parts.push(el("h4", null, ["诊断（" + f.diagnostics.length + "）"]));
    if (f.diagnostics.length) {
      parts.push(listTable(
        ["级别", "代码", "说明", "位置"],
        f.diagnostics.map(function (d) {
          return el("tr", null, [
            el("td", null, [d.severity]), el("td", null, [el("code", null, [d.code])]),
            el("td", null, [d.message]), el("td", { "class": "where" }, [d.where]),
          ]);
        }),
        "detail-diagnostics"
      ));
    }
    body.replaceChildren.apply(body, parts);
    dialog.setAttribute("data-i", String(i));
    if (!dialog.open) dialog.showModal();
    body.scrollTop = 0;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-open]") : null;
    if (!link) return;
    event.preventDefault();
    var i = parseInt(link.getAttribute("data-open"), 10);
    history.replaceState(null, "", "#form-" + i);
    show(i);
  });
  dialog.addEventListener("close", function () {
    if (/^#form-\d+$/.test(location.hash)) history.replaceState(null, "", location.pathname + location.search);
  });
  function fromHash() {
    var m = /^#form-(\d+)$/.exec(location.hash);
    if (m) show(parseInt(m[1], 10));
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
