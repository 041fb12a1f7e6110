/* handbok: filter and sort the document register in the browser. No network. */
(function () {
  "use strict";

  function setup(root) {
    var table = root.querySelector("table[data-handbok-register]");
    if (!table || table.dataset.ready) { return; }
    table.dataset.ready = "1";
    var form = root.querySelector("form[data-handbok-filters]");
    var counter = root.querySelector("[data-handbok-count]");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var total = rows.length;

    function apply() {
      var wanted = {};
      var query = new URLSearchParams(window.location.search);
      form.querySelectorAll("[data-filter]").forEach(function (field) {
        wanted[field.dataset.filter] = field.value.trim().toLowerCase();
        if (field.value.trim()) { query.set(field.dataset.filter, field.value.trim()); }
        else { query.delete(field.dataset.filter); }
      });
      /* The filtered view has its own address, so that it can be shared (issue 9). */
      var search = query.toString();
      if (window.history && window.history.replaceState) {
        window.history.replaceState(window.history.state, "",
          window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = (!wanted.text || texts[i].indexOf(wanted.text) !== -1) &&
          ["unit", "type", "status", "owner"].every(function (key) {
            return !wanted[key] || row.dataset[key].toLowerCase() === wanted[key];
          });
        row.hidden = !ok;
        if (ok) { shown += 1; }
      });
      if (counter) {
        counter.textContent = "Visar " + shown + " av " + total + " dokument";
      }
    }

    if (form) {
      form.addEventListener("input", apply);
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      var params = new URLSearchParams(window.location.search);
      form.querySelectorAll("[data-filter]").forEach(function (field) {
        var value = params.get(field.dataset.filter);
        if (value) { field.value = value; }
      });
      apply();
    }

    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[column];
          return (cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent).toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
      });
    });
  }

  /* A table wider than the screen scrolls inside its box: the box takes the keyboard's
   * focus, so that it can be scrolled without a mouse (WCAG 2.1.1). */
  function scrollable(root) {
    root.querySelectorAll(".md-typeset__scrollwrap, .handbok-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }

  function init() { setup(document); scrollable(document); }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
