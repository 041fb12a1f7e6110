/* handbok: Swedish stemming for the search of Material for MkDocs.
 *
 * Material adds a trailing wildcard to every query term ("granskningar*"), and
 * lunr does not stem wildcard terms, while the index holds stems ("granskning").
 * So an inflected query finds nothing. This worker wraps Material's: it adds
 * the stem of each query term ("granskningar granskning"), then hands over.
 * No network: it only loads Material's worker from the same folder.
 */
(function () {
  "use strict";
  var langs = [];
  var listen = self.addEventListener.bind(self);

  function stemmers() {
    var lunr = self.lunr;
    if (!lunr) { return []; }
    return langs.map(function (lang) {
      return lang === "en" ? lunr.stemmer : (lunr[lang] || {}).stemmer;
    }).filter(function (fn) { return typeof fn === "function"; });
  }

  function expand(query) {
    var fns = stemmers();
    if (!fns.length || query.indexOf('"') !== -1) { return query; }
    return query.split(/(\s+)/).map(function (part) {
      if (!/^[\p{L}\p{N}]{3,}$/u.test(part)) { return part; }
      var word = part.toLowerCase();
      var extra = [];
      fns.forEach(function (stem) {
        var s = String(stem(new self.lunr.Token(word, {})));
        if (s && s !== word && extra.indexOf(s) === -1) { extra.push(s); }
      });
      return extra.length ? part + " " + extra.join(" ") : part;
    }).join("");
  }

  self.addEventListener = function (type, listener, options) {
    if (type !== "message") { return listen(type, listener, options); }
    return listen(type, function (event) {
      var message = event.data;
      if (message && message.type === 0 && message.data && message.data.config) {
        langs = message.data.config.lang || [];
      } else if (message && message.type === 2 && typeof message.data === "string") {
        event = new MessageEvent("message", { data: { type: 2, data: expand(message.data) } });
      }
      return listener.call(self, event);
    }, options);
  };

  importScripts("__MATERIAL_WORKER__");
})();
