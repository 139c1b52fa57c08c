"""The HTML report's script: sorting, filtering and expanding rows.

The page is complete without it; it reads the findings from the JSON block the
renderer embeds, keeps the filters in the URL fragment (``#severity=HIGH,MEDIUM&
package=…&rule=…&q=…&sort=-location``) so a filtered view can be shared, and marks ``<body
data-ready>`` once initialised (tests wait for that).
"""

from __future__ import annotations

SCRIPT = r"""
(function () {
  "use strict";
  var body = document.body;
  window.addEventListener("error", function (event) {
    body.setAttribute("data-error", String(event.message));
  });
  document.documentElement.classList.add("js");
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var table = document.getElementById("findings-table");
  var form = document.getElementById("filters");
  if (!table || !form) { body.setAttribute("data-ready", "true"); return; }
  var tbody = table.tBodies[0];
  var byId = {};
  data.findings.forEach(function (f, index) { f.index = index; byId[f.id] = f; });

  function rows(f) {
    return [document.getElementById(f.id), document.getElementById(f.id + "-detail")];
  }

  function toggle(f) {
    var pair = rows(f), open = !pair[0].classList.contains("open");
    pair[0].classList.toggle("open", open);
    pair[1].classList.toggle("open", open);
    pair[0].setAttribute("aria-expanded", open ? "true" : "false");
  }

  tbody.addEventListener("click", function (event) {
    if (event.target.closest("a")) { return; }
    var row = event.target.closest("tr.finding");
    if (row) { toggle(byId[row.id]); }
  });
  tbody.addEventListener("keydown", function (event) {
    var row = event.target.closest("tr.finding");
    if (row && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      toggle(byId[row.id]);
    }
  });

  var keys = {
    severity: function (f) { return [f.rank]; },
    rule: function (f) { return [f.rule]; },
    title: function (f) { return [f.title]; },
    resource: function (f) { return [f.resource]; },
    ports: function (f) { return [f.ports]; },
    location: function (f) { return [f.file, f.line]; },
    type: function (f) { return [f.type]; }
  };
  var sortState = { column: null, direction: 1 };

  function compare(a, b, key) {
    var ka = key(a), kb = key(b);
    for (var i = 0; i < ka.length; i++) {
      if (ka[i] < kb[i]) { return -1; }
      if (ka[i] > kb[i]) { return 1; }
    }
    return 0;
  }

  function sortBy(column, direction) {
    var key = keys[column];
    if (!key) { return; }
    sortState.column = column;
    sortState.direction = direction;
    var ordered = data.findings.slice().sort(function (a, b) {
      return sortState.direction * compare(a, b, key) || a.index - b.index;
    });
    ordered.forEach(function (f) {
      var pair = rows(f);
      tbody.appendChild(pair[0]);
      tbody.appendChild(pair[1]);
    });
    table.querySelectorAll("th[data-column]").forEach(function (th) {
      var state = th.getAttribute("data-column") === column ?
        (sortState.direction > 0 ? "ascending" : "descending") : "none";
      th.setAttribute("aria-sort", state);
    });
  }

  table.querySelectorAll("th[data-column] button").forEach(function (button) {
    button.addEventListener("click", function () {
      var column = button.parentNode.getAttribute("data-column");
      sortBy(column, sortState.column === column ? -sortState.direction : 1);
      applyFilters(true);
    });
  });

  var severityBoxes = form.querySelectorAll("input[name=severity]");
  var packageSelect = form.elements["package"];
  var ruleSelect = form.elements["rule"];
  var search = form.elements["q"];

  function applyFilters(updateHash) {
    var wanted = {};
    severityBoxes.forEach(function (box) { wanted[box.value] = box.checked; });
    var pkg = packageSelect.value, rule = ruleSelect.value;
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    data.findings.forEach(function (f) {
      var visible = wanted[f.severity] && (!pkg || f.package === pkg) &&
        (!rule || f.rule === rule) &&
        words.every(function (w) { return f.text.indexOf(w) >= 0; });
      var pair = rows(f);
      pair[0].hidden = !visible;
      pair[1].hidden = !visible;
      if (visible) { shown++; }
    });
    document.getElementById("shown").textContent =
      "Showing " + shown + " of " + data.findings.length + " findings";
    if (updateHash) {
      var parts = [];
      var checked = [];
      severityBoxes.forEach(function (box) { if (box.checked) { checked.push(box.value); } });
      if (checked.length !== severityBoxes.length) {
        parts.push("severity=" + checked.join(","));
      }
      if (pkg) { parts.push("package=" + encodeURIComponent(pkg)); }
      if (rule) { parts.push("rule=" + encodeURIComponent(rule)); }
      if (search.value) { parts.push("q=" + encodeURIComponent(search.value)); }
      if (sortState.column) {
        parts.push("sort=" + (sortState.direction < 0 ? "-" : "") + sortState.column);
      }
      try {
        history.replaceState(null, "", parts.length ? "#" + parts.join("&") :
          location.pathname + location.search);
      } catch (ignored) { /* some browsers refuse for file: URLs */ }
    }
  }

  function fromHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (part) {
      var at = part.indexOf("=");
      if (at > 0) {
        params[part.slice(0, at)] = decodeURIComponent(part.slice(at + 1));
      }
    });
    var severities = params.severity ? params.severity.toUpperCase().split(",") : null;
    severityBoxes.forEach(function (box) {
      box.checked = !severities || severities.indexOf(box.value) >= 0;
    });
    packageSelect.value = params["package"] || "";
    ruleSelect.value = params.rule || "";
    search.value = params.q || "";
    if (params.sort) {
      var descending = params.sort.charAt(0) === "-";
      sortBy(params.sort.replace(/^-/, ""), descending ? -1 : 1);
    }
    applyFilters(false);
  }

  form.addEventListener("input", function () { applyFilters(true); });
  form.addEventListener("change", function () { applyFilters(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", fromHash);

  document.querySelectorAll("svg.graph .node[data-resource]").forEach(function (node) {
    function pick() {
      search.value = node.getAttribute("data-resource");
      applyFilters(true);
      table.scrollIntoView({ block: "start" });
    }
    node.addEventListener("click", pick);
    node.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { pick(); }
    });
  });

  fromHash();
  body.setAttribute("data-ready", "true");
})();
"""
