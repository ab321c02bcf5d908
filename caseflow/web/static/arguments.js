// caseflow: the party's arguments recorded with 收到陈述、申辩 and 听证结束 — 「添加一条」 adds an empty row
// after the last (the names carry the row's index); without script the form has three rows. No inline
// script anywhere (Content-Security-Policy).
(function () {
  var MAX_ROWS = 50;

  document.querySelectorAll("fieldset[data-arguments]").forEach(function (box) {
    var add = box.querySelector("[data-arguments-add]"), name = box.getAttribute("data-arguments");
    if (!add || box.dataset.bound) return; // the script may be on the page once per form that has it
    box.dataset.bound = "1";
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = box.querySelectorAll(".argument-row");
      if (rows.length >= MAX_ROWS) { add.disabled = true; return; }
      var last = rows[rows.length - 1], row = last.cloneNode(true), n = Number(last.dataset.index) + 1;
      row.dataset.index = String(n);
      row.querySelector(".argument-no").textContent = String(rows.length + 1);
      row.querySelectorAll(".ferr").forEach(function (el) { el.remove(); });
      row.querySelectorAll("textarea, select").forEach(function (el) {
        el.name = el.name.replace(name + "[" + last.dataset.index + "]", name + "[" + n + "]");
        el.value = "";
      });
      last.after(row);
      row.querySelector("textarea").focus();
      if (rows.length + 1 >= MAX_ROWS) add.disabled = true;
    });
  });
})();
