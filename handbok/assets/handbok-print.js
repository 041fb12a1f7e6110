/* handbok: the "Skriv ut" button, the printed footer ("Utskriven DATUM ... ADRESS") and the
 * page's own address in the feedback e-mail. The words come from the page (text.py). */
(function () {
  "use strict";

  function today() {
    return new Date().toLocaleDateString("sv-SE", { day: "numeric", month: "long", year: "numeric" });
  }

  function address() {
    return location.href.split("#")[0].split("?")[0];
  }

  function fill(root) {
    root.querySelectorAll("[data-handbok-print]").forEach(function (button) {
      if (button.dataset.handbokReady) { return; }
      button.dataset.handbokReady = "1";
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    root.querySelectorAll("[data-handbok-printed]").forEach(function (footer) {
      footer.textContent = footer.dataset.handbokPrinted
        .replace("{datum}", today()).replace("{adress}", address());
    });
    root.querySelectorAll("a[data-handbok-feedback]").forEach(function (link) {
      link.href = link.href.replace(/%7Badress%7D/gi, encodeURIComponent(address()));
    });
  }

  window.addEventListener("beforeprint", function () { fill(document); });
  function init() { fill(document); }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
