// caseflow: the 裁量情节 rows of a step form (调查终结, 变更拟处罚意见) — 「添加情节」, and the tier of the
// 裁量基准 the ticked circumstances lead to, recommended as the officer types. The server sends the
// benchmark's entries for the case in the fieldset's data-discretion (no inline script: CSP) and
// decides again on submit (caseflow/discretion/recommend.py is the rule; this only previews it).
(function () {
  var MAX_ROWS = 60;

  function money(n) {
    return n.toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  function amount(text) {
    var n = Number(String(text || "").replace(/[,，\s元]/g, ""));
    return isFinite(n) && n > 0 ? n : null;
  }
  function holds(when, codes, effects, base) {
    if (!when) return true;
    var mode = Object.keys(when)[0], results = when[mode].map(function (c) {
      var k = Object.keys(c)[0], v = c[k];
      if (k === "factor") return codes.indexOf(v) >= 0;
      if (k === "effect") return effects.indexOf(v) >= 0;
      if (k === "no_effect") return effects.indexOf(v) < 0;
      if (k === "amount_at_most") return base <= Number(v);
      if (k === "amount_above") return base > Number(v);
      return false;
    });
    return mode === "all" ? results.every(Boolean) : results.some(Boolean);
  }

  function bind(box) {
    if (box.dataset.bound) return;
    box.dataset.bound = "1";
    var form = box.form || box.closest("form"), name = box.getAttribute("data-factors");
    var data = {};
    try { data = JSON.parse(box.getAttribute("data-discretion") || "{}"); } catch (e) { data = {}; }
    var out = box.querySelector("[data-recommend]"), add = box.querySelector("[data-factors-add]");

    function fines(entry) {
      // The 罚款 rows of the form this entry covers: [amount, …].
      var found = [];
      form.querySelectorAll("select[name^='penalties['][name$='.kind']").forEach(function (kind) {
        if (kind.value !== entry.measure) return;
        var prefix = kind.name.slice(0, -"kind".length);
        var basis = form.querySelector("[name='" + prefix + "basis']"), amt = form.querySelector("[name='" + prefix + "amount']");
        var text = basis ? basis.value.trim() : "";
        if (!entry.bases.some(function (b) { return text.indexOf(b) === 0; })) return;
        var n = amt ? amount(amt.value) : null;
        if (n !== null) found.push(n);
      });
      return found;
    }

    function update() {
      if (!out || !data.entries) return;
      var codes = [], effects = [];
      box.querySelectorAll("select[name$='.factor']").forEach(function (s) {
        if (!s.value) return;
        codes.push(s.value);
        if (data.effects[s.value]) effects.push(data.effects[s.value]);
      });
      var lines = [], outside = false;
      data.entries.forEach(function (e) {
        var typed = form.querySelector("[name='" + e.base_field + "']"), base = amount(typed && typed.value) || amount(e.base);
        if (base === null) { lines.push("第" + e.item + "项：尚未认定" + e.base_name + "，无法推荐档次。"); return; }
        var tier = null;
        for (var i = 0; i < e.tiers.length && !tier; i++) if (holds(e.tiers[i].when, codes, effects, base)) tier = e.tiers[i];
        if (!tier) return;
        var low = Math.round(base * Number(tier.lo) * 100) / 100, high = Math.round(base * Number(tier.hi) * 100) / 100;
        var line = "按所选情节，推荐第" + e.item + "项「" + tier.tier + "」档：" + e.base_name + "的" + tier.lo + "至" +
          tier.hi + "倍，即" + money(low) + "至" + money(high) + "元。";
        fines(e).forEach(function (n) {
          if (n < low - 0.005 || n > high + 0.005) {
            outside = true;
            line += "拟罚款" + money(n) + "元（" + (Math.round(n / base * 100) / 100) + "倍）不在推荐档次内，须填写裁量说明。";
          }
        });
        lines.push(line);
      });
      if (lines.length) out.textContent = lines.join(" ");
      out.classList.toggle("outside", outside);
    }

    if (add) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var rows = box.querySelectorAll(".row.factors:not(.head)");
        if (rows.length >= MAX_ROWS) { add.disabled = true; return; }
        var last = rows[rows.length - 1], row = last.cloneNode(true), n = Number(last.dataset.index) + 1;
        row.dataset.index = String(n);
        row.querySelectorAll(".ferr").forEach(function (el) { el.remove(); });
        row.querySelectorAll("select, input").forEach(function (el) {
          el.name = el.name.replace(name + "[" + last.dataset.index + "]", name + "[" + n + "]");
          el.value = "";
        });
        last.after(row);
        row.querySelector("select").focus();
        if (rows.length + 1 >= MAX_ROWS) add.disabled = true;
      });
    }
    form.addEventListener("change", update);
    form.addEventListener("input", function (e) {
      if (e.target.matches("input[name$='.amount'], input[name^='amount_']")) update();
    });
    update();
  }

  document.querySelectorAll("fieldset[data-factors]").forEach(bind);
})();
