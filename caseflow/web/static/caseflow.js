// caseflow: live countdowns (every minute), a guard against double submission, and the pages' few
// behaviours (no inline script or on… handler anywhere: the Content-Security-Policy forbids them).
(function () {
  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60;
    if (d) return d + "天" + (h ? h + "小时" : "");
    if (h) return h + "小时" + (mm ? mm + "分" : "");
    return mm + "分钟";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = new Date(el.getAttribute("data-due")).getTime() - now;
      if (isNaN(left)) return;
      // A window of the party (data-party) is never overdue: at its end it has closed (届满).
      if (el.hasAttribute("data-party")) {
        el.textContent = left <= 0 ? "已届满" : "剩余" + span(left);
        el.className = "cd " + (left <= 0 ? "closed" : "ok");
        return;
      }
      el.textContent = left <= 0 ? "已逾期" + span(left) : "剩余" + span(left);
      el.className = "cd " + (left <= 0 ? "overdue" : left <= 2 * 86400000 ? "soon" : "ok");
    });
  }
  setInterval(tick, 60000);
  // A tall procedure diagram scrolls in its box: bring the current state into view.
  document.querySelectorAll(".svgwrap[data-current]").forEach(function (wrap) {
    var node = wrap.querySelector('[id="' + wrap.getAttribute("data-current") + '"]');
    if (!node) return;
    var box = wrap.getBoundingClientRect(), at = node.getBoundingClientRect();
    if (at.bottom > box.bottom || at.top < box.top)
      wrap.scrollTop += at.top - box.top - (box.height - at.height) / 2;
  });
  // A select that shows what it chose at once (法定幅度的依据): submits its form on change.
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]")) e.target.form.submit();
  });
  // 「返回上一页」 on the error page: back in history when there is one, else the link's own target.
  document.querySelectorAll("a[data-back]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      if (history.length > 1) { e.preventDefault(); history.back(); }
    });
  });
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.method.toLowerCase() !== "post") return;
    if (f.dataset.sent) { e.preventDefault(); return; }
    f.dataset.sent = "1";
  });
})();
