/* handbok: Swedish stemming for the search of Material for MkDocs.
 *
 * Material adds a trailing wildcard to every query term ("granskningar*"), and
 * lunr does not stem wildcard terms, while the index holds stems ("granskning").
 * So an inflected query finds nothing. This worker wraps Material's: it adds
 * the stem of each query term ("granskningar granskning"), then hands over; and
 * on the way back it counts a word as found where its stem was.
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

  var stemsOf = {};  /* the last query: word -> the stems added for it */

  function expand(query) {
    var fns = stemmers();
    stemsOf = {};
    if (!fns.length || query.indexOf('"') !== -1) { return query; }
    return query.split(/(\s+)/).map(function (part) {
      if (!/^[\p{L}\p{N}]{3,}$/u.test(part)) { return part; }
      var word = part.toLowerCase();
      var extra = [];
      fns.forEach(function (stem) {
        var s = String(stem(new self.lunr.Token(word, {})));
        if (s && s !== word && extra.indexOf(s) === -1) { extra.push(s); }
      });
      if (extra.length) { stemsOf[word] = extra; }
      return extra.length ? part + " " + extra.join(" ") : part;
    }).join("");
  }

  /* A result found through a word's stem has found the word: Material must not list the
   * word as missing ("Saknas: granskningar"), nor an added stem that found nothing. */
  function settle(result) {
    (result.items || []).forEach(function (group) {
      (Array.isArray(group) ? group : [group]).forEach(function (item) {
        var terms = item && item.terms;
        if (!terms) { return; }
        Object.keys(stemsOf).forEach(function (word) {
          var found = stemsOf[word].some(function (s) { return terms[s]; });
          if (found) { terms[word] = true; }
          stemsOf[word].forEach(function (s) { if (!terms[s]) { delete terms[s]; } });
        });
      });
    });
    return result;
  }

  var post = self.postMessage.bind(self);
  self.postMessage = function (message, transfer) {
    if (message && message.type === 3 && message.data) { settle(message.data); }
    return transfer === undefined ? post(message) : post(message, transfer);
  };

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

  /* The trimmers of lunr-languages keep letters only, so an id such as "ABC-12" or "2011:9" lost
   * their digits and a document id could not be found. Each language's trimmer is
   * replaced, as Material loads it, by one that keeps digits too. */
  var load = self.importScripts.bind(self);
  self.importScripts = function () {
    load.apply(self, arguments);
    var lunr = self.lunr;
    if (!lunr || !lunr.trimmerSupport) { return; }
    Object.keys(lunr).forEach(function (lang) {
      var support = lunr[lang];
      if (!support || typeof support.wordCharacters !== "string" || support.handbokDigits) { return; }
      var trimmer = lunr.trimmerSupport.generateTrimmer(support.wordCharacters + "0-9");
      lunr.Pipeline.registerFunction(trimmer, "trimmer-" + lang + "-digits");
      support.trimmer = trimmer;
      support.handbokDigits = true;
    });
  };

  importScripts("__MATERIAL_WORKER__");
})();
