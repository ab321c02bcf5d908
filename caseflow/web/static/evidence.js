// caseflow: the case page's 证据材料 — uploads with a progress bar (the form posted by XMLHttpRequest;
// without script it posts plainly), confirmation before 撤回, the 询问笔录's 「添加一问一答」 and the
// 据以认定 checkboxes that fill the 序号 field. No inline script anywhere (Content-Security-Policy).
(function () {
  var MAX_QA_ROWS = 300;
  var uploading = 0;

  function mb(n) { return (n / 1048576).toFixed(n < 10485760 ? 1 : 0) + " MB"; }

  function refusal(xhr) {
    // The server's JSON refusal; else the message of its error page (a refused CSRF token, a body
    // over the limit); else a plain one.
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") >= 0) {
      try { return JSON.parse(xhr.responseText); } catch (e) { /* fall through */ }
    }
    if (type.indexOf("text/html") >= 0) {
      var box = new DOMParser().parseFromString(xhr.responseText, "text/html").querySelector(".alert.error");
      if (box) {
        var code = box.querySelector(".code");
        if (code) code.remove();
        return { message: box.textContent.trim() };
      }
    }
    return { message: "上传未能完成（服务器答复 " + xhr.status + "），请稍后重试。" };
  }

  function showError(form, err) {
    var box = form.querySelector(".upload-error");
    box.textContent = err.message || "上传未能完成，请重试。";
    if (err.code === "INVALID_INPUT" && err.details) {
      var ul = document.createElement("ul");
      Object.keys(err.details).forEach(function (k) {
        var li = document.createElement("li");
        li.textContent = err.details[k];
        ul.appendChild(li);
      });
      if (ul.childNodes.length) box.appendChild(ul);
    }
    box.hidden = false;
    box.scrollIntoView({ block: "nearest" });
  }

  function chosenFiles(form) {
    var out = [];
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) { out.push(f); });
    });
    return out;
  }

  function go(location) {
    var url = new URL(location, window.location.href);
    if (url.pathname + url.search === window.location.pathname + window.location.search) {
      window.location.hash = url.hash;
      window.location.reload();
    } else {
      window.location.assign(url.href);
    }
  }

  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      e.stopPropagation(); // this form guards itself against a second submission
      if (form.dataset.sending) return;
      var files = chosenFiles(form), max = Number(form.dataset.maxBytes) || 0;
      var errBox = form.querySelector(".upload-error");
      errBox.hidden = true;
      var tooBig = files.filter(function (f) { return max && f.size > max; });
      if (tooBig.length) {
        showError(form, { message: "文件「" + tooBig[0].name + "」有 " + mb(tooBig[0].size) + "，超过单个文件 " +
                                   mb(max) + " 的上限，未上传。" });
        return;
      }
      var bar = form.querySelector(".upload-progress"), meter = bar.querySelector("progress"),
          pct = bar.querySelector(".pct"), name = bar.querySelector(".fname"),
          button = form.querySelector("button:not([type=button])");
      var total = files.reduce(function (n, f) { return n + f.size; }, 0);
      name.textContent = files.length === 0 ? "" : files.length === 1 ? files[0].name + "（" + mb(total) + "）"
        : files[0].name + " 等 " + files.length + " 个文件（共 " + mb(total) + "）";
      meter.value = 0;
      pct.textContent = "0%";
      bar.hidden = false;

      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      var token = form.querySelector("input[name=csrf_token]");
      if (token) xhr.setRequestHeader("X-CSRF-Token", token.value);
      xhr.upload.onprogress = function (ev) {
        if (!ev.lengthComputable) return;
        var p = Math.min(100, Math.floor(ev.loaded * 100 / ev.total));
        meter.value = p;
        pct.textContent = p + "%";
      };
      xhr.upload.onload = function () {
        meter.value = 100;
        pct.textContent = files.length ? "已传完，正在检查文件…" : "正在登记…";
      };
      function done() {
        uploading -= 1;
        delete form.dataset.sending;
        if (button) button.disabled = false;
      }
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          var answer = {};
          try { answer = JSON.parse(xhr.responseText); } catch (err) { /* reload below */ }
          uploading -= 1;
          pct.textContent = "完成";
          go(answer.location || window.location.href);
          return;
        }
        done();
        bar.hidden = true;
        showError(form, refusal(xhr));
      };
      xhr.onerror = xhr.onabort = function () {
        done();
        bar.hidden = true;
        showError(form, { message: "网络中断，文件未上传（已传的部分不会保存）。请检查网络后重试。" });
      };
      form.dataset.sending = "1";
      if (button) button.disabled = true;
      uploading += 1;
      xhr.send(new FormData(form));
    });
  });

  window.addEventListener("beforeunload", function (e) {
    if (uploading > 0) { e.preventDefault(); e.returnValue = ""; }
  });

  // 撤回: asked once more, naming what is withdrawn.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.dataset.confirm)) { e.preventDefault(); e.stopPropagation(); }
    });
  });

  // 询问笔录: 「添加一问一答」 adds an empty row after the last (the names carry the row's index).
  document.querySelectorAll("fieldset[data-qa]").forEach(function (box) {
    var add = box.querySelector("[data-qa-add]"), name = box.getAttribute("data-qa");
    if (!add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = box.querySelectorAll(".qa-row");
      if (rows.length >= MAX_QA_ROWS) { add.disabled = true; return; }
      var last = rows[rows.length - 1], row = last.cloneNode(true), n = Number(last.dataset.index) + 1;
      row.dataset.index = String(n);
      row.querySelector(".qa-no").textContent = String(rows.length + 1);
      row.querySelectorAll(".ferr").forEach(function (el) { el.remove(); });
      row.querySelectorAll("textarea").forEach(function (t) {
        t.name = t.name.replace(name + "[" + last.dataset.index + "]", name + "[" + n + "]");
        t.value = "";
      });
      last.after(row);
      row.querySelector("textarea").focus();
      if (rows.length + 1 >= MAX_QA_ROWS) add.disabled = true;
    });
  });

  // 据以认定事实的证据: the ticked boxes write their 序号 into the one field ("1、3"), and what is
  // typed there ticks them.
  document.querySelectorAll("fieldset[data-refs]").forEach(function (box) {
    var input = box.querySelector("[data-refs-input]"), boxes = box.querySelector("[data-refs-boxes]"),
        list = box.querySelector("[data-refs-list]");
    if (!input || !boxes) return;
    boxes.hidden = false;
    if (list) list.hidden = true;
    var checks = boxes.querySelectorAll("input[type=checkbox]");
    function fromField() {
      var chosen = input.value.split(/[,，、;；\s]+/).filter(Boolean);
      checks.forEach(function (c) { c.checked = chosen.indexOf(c.value) >= 0; });
    }
    function toField() {
      var chosen = [];
      checks.forEach(function (c) { if (c.checked) chosen.push(c.value); });
      input.value = chosen.join("、");
    }
    boxes.addEventListener("change", toField);
    input.addEventListener("input", fromField);
    fromField();
  });
})();
