// dudao platform pages: no inline script (the CSP forbids it); everything here is progressive.
(function () {
  "use strict";

  // A submission still being analysed: poll its status and reload once it changes.
  var status = document.getElementById("status");
  if (status && (status.dataset.status === "queued" || status.dataset.status === "analysing")) {
    var poll = function () {
      fetch("/api/submissions/" + status.dataset.id, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (d && d.status !== status.dataset.status) { window.location.reload(); }
          else { setTimeout(poll, 1500); }
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  // Reviewers select a passage of the report text to add their own finding on it.
  var text = document.querySelector("#report-text .text");
  var start = document.getElementById("sel-start");
  var end = document.getElementById("sel-end");
  var quote = document.getElementById("selection-quote");
  var button = document.getElementById("add-finding-button");
  if (!text || !start) { return; }

  function offsetOf(node, offset) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    while (el && el !== text && !el.hasAttribute("data-start")) { el = el.parentElement; }
    if (!el || el === text) { return null; }
    return parseInt(el.getAttribute("data-start"), 10) + (node.nodeType === 3 ? offset : 0);
  }

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
    var a = offsetOf(range.startContainer, range.startOffset);
    var b = offsetOf(range.endContainer, range.endOffset);
    if (a === null || b === null || b <= a) { return; }
    start.value = a; end.value = b;
    var s = sel.toString();
    quote.textContent = "已选中：" + (s.length > 80 ? s.slice(0, 80) + "…" : s);
    button.disabled = false;
  });
})();
