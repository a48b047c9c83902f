/* dudao review pack: highlight toggles, sortable tables, report filter. No network, no data. */
(function () {
  "use strict";
  var toggles = document.querySelectorAll("input[data-toggle]");
  Array.prototype.forEach.call(toggles, function (cb) {
    cb.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + cb.getAttribute("data-toggle"), !cb.checked);
    });
  });

  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) { return ""; }
    var v = cell.getAttribute("data-v");
    if (v !== null && v !== "" && !isNaN(Number(v))) { return Number(v); }
    return (v !== null ? v : cell.textContent).trim();
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, i) {
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var asc = th.getAttribute("data-dir") !== "asc";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("data-dir"); });
        th.setAttribute("data-dir", asc ? "asc" : "desc");
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i), r;
          if (typeof x === "number" && typeof y === "number") { r = x - y; }
          else { r = String(x).localeCompare(String(y), "zh-Hans-CN"); }
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // search boxes over a table: <input data-filter="table id">
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (box) {
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      var rows = document.querySelectorAll("#" + box.getAttribute("data-filter") + " tbody tr");
      Array.prototype.forEach.call(rows, function (r) {
        r.style.display = !q || r.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
      });
    });
  });

  // tooltips of highlighted text: one table per page, looked up by the segment's refs
  var tipsNode = document.getElementById("tips");
  if (tipsNode) {
    var tips = JSON.parse(tipsNode.textContent);
    document.addEventListener("mouseover", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a.hl") : null;
      if (!a || a.hasAttribute("title")) { return; }
      var seen = {}, lines = [];
      a.getAttribute("data-refs").split(" ").forEach(function (r) {
        var t = tips[r];
        if (t && !seen[t]) { seen[t] = true; lines.push(t); }
      });
      a.setAttribute("title", lines.join("\n"));
    });
  }

  var filter = document.getElementById("report-filter");
  if (filter) {
    filter.addEventListener("input", function () {
      var q = filter.value.trim().toLowerCase();
      var rows = document.querySelectorAll("#report-table tbody tr");
      Array.prototype.forEach.call(rows, function (r) {
        r.style.display = !q || r.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
      });
    });
  }
})();
