/* abikaart search: Pagefind, loaded on the first keystroke (the page itself downloads no index).
 * Services come first (a search filtered to kind=service, then one of the rest); typing preloads what the search
 * will need. The site's word list (fetched with the
 * first search, next to Pagefind) turns an Estonian form into the lemma the pages carry (vägivallast -> vägivald:
 * a string of the list is a lemma and its forms), corrects a word the site does not have, and the search runs
 * again with it. The list also holds each need's situation phrases: a query that says one ("насилие в семье")
 * lists that need's services first (a `need` filter), whatever else mentions its words; when the phrase is a
 * sentence ("mees lööb mind"), those open 24/7 before the rest. The query stays in this page's memory:
 * the form never submits, nothing goes into the URL, the history, cookies or storage. From file:// (the
 * offline copy) Pagefind cannot run, so the box is replaced by a link to the finder. Text is set with
 * textContent only: result titles are data. A service result has an "add to list" button (client-list.js). */
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector(".abi-search__form");
  if (!form || !script) return;
  if (location.protocol === "file:") {
    var offline = document.querySelector(".abi-search__offline");
    if (offline) offline.hidden = false;
    return;
  }
  var input = form.querySelector("input");
  var status = form.querySelector(".abi-search__status");
  var list = form.querySelector(".abi-search__results");
  var root = new URL("../../", script.src);
  var lang = (document.documentElement.lang || "et").slice(0, 2);
  var PAGE = 8;
  // pageLength 0.25 (Pagefind's 0.75): a service of many needs is not pushed down by its long page (bench_ranking.py)
  var RANKING = { pageLength: 0.25 };
  var pagefind = null, words = null, timer = null, generation = 0, shown = [];
  form.hidden = false;

  function text(key, value) { return (form.getAttribute("data-abk-" + key) || "").replace(/\{\w+\}/, value); }

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (module) {
        return module.options({ baseUrl: root.pathname, excerptLength: 0, ranking: RANKING }).then(function () {
          return module.init();
        }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  // Cyrillic words typed with a Latin look-alike (насилe): fold those letters before anything else.
  var LOOK = { a: "а", e: "е", o: "о", p: "р", c: "с", x: "х", y: "у", k: "к", m: "м", t: "т", h: "н", b: "в" };
  function fold(word) {
    if (!/[а-яё]/i.test(word) || !/[a-z]/i.test(word)) return word;
    return word.replace(/[a-z]/gi, function (ch) { return LOOK[ch.toLowerCase()] || ch; });
  }

  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev.push(j);
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
        if (cur[j] < best) best = cur[j];
      }
      if (best > limit) return limit + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  function vocabulary() {
    if (!words) {
      words = fetch(new URL("assets/abikaart/search-words." + lang + ".json", root).href, { credentials: "omit" })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (list) {
          var known = [], has = Object.create(null), base = Object.create(null);
          (list.words || []).forEach(function (line) {
            // A lemma, then its forms as (letters to drop from its end)(letters to add): "vägivald 1last".
            var group = line.split(" "), lemma = group[0];
            group = group.map(function (token, i) {
              var part = i ? /^(\d+)(.*)$/.exec(token) : null;
              return part ? lemma.slice(0, lemma.length - Number(part[1])) + part[2] : token;
            });
            group.forEach(function (word) {
              if (!has[word]) { has[word] = true; if (word.length >= 4) known.push(word); }
              if (group.length > 1) base[word] = group[0];
            });
          });
          var vocab = { known: known, has: has, base: base, needs: {} };
          // Each need's phrases in their lemmas, once: `situation` compares every query with them.
          Object.keys(list.needs || {}).forEach(function (need) {
            vocab.needs[need] = list.needs[need].map(function (phrase) { return lemmas(phrase, vocab); });
          });
          return vocab;
        });
    }
    return words;
  }

  function lemmas(query, vocab) {
    return query.split(" ").map(function (word) { return vocab.base[word.toLowerCase()] || word; }).join(" ");
  }

  // What the query says of a need: the needs whose name or situation phrase it holds as whole words (both in
  // their lemmas: `vocabulary` keeps the phrases so), of several those with the longest phrase ("vägivallast
  // loobumine" over "vägivald"), and those phrases. `now`: a phrase of two words or more ("mees lööb mind"), a person describing what happens to
  // them rather than a keyword.
  function situation(query, vocab) {
    var said = " " + lemmas(query.toLowerCase(), vocab) + " ", best = 0, found = [];
    Object.keys(vocab.needs).forEach(function (need) {
      vocab.needs[need].forEach(function (words) {
        if (said.indexOf(" " + words + " ") < 0) return;
        var length = words.split(" ").length;
        found.push({ need: need, phrase: words, length: length });
        best = Math.max(best, length);
      });
    });
    found = found.filter(function (hit) { return hit.length === best; });
    function unique(key) {
      return found.map(function (hit) { return hit[key]; }).filter(function (v, i, all) { return all.indexOf(v) === i; });
    }
    return { needs: unique("need"), phrases: unique("phrase"), now: best >= 2 };
  }

  function correct(query, vocab) {
    var known = vocab.known, changed = false;
    var fixed = query.toLowerCase().split(/\s+/).map(function (word) {
      if (word.length < 4 || vocab.has[word]) return word;
      var limit = word.length >= 7 ? 2 : 1, best = null, bestScore = limit + 1;
      for (var i = 0; i < known.length; i++) {
        var score = distance(word, known[i], Math.min(limit, bestScore));
        if (score < bestScore) { bestScore = score; best = known[i]; }
      }
      if (best) { changed = true; return best; }
      return word;
    }).join(" ");
    return changed ? fixed : null;
  }

  /* Services, then the other pages: two searches on disjoint sets. The second leaves services out rather than
   * searching everything again, so a query's services are scored once (their count is what a search costs).
   * When the query says a need's phrase (`said`, from `situation`), that need's services come first: those the
   * query finds, then those its phrase finds ("I am afraid at home": no page has "am", every domestic-violence
   * service has "afraid at home"). When it describes a situation (`said.now`: the person may need help now),
   * the need's services open 24/7 come before the rest. Before them all come the services the data names the
   * first contact for every need the query says (`first_contact_for`: 116 006 for "perevägivald", not the SMS
   * line whose page says the word more often; for "vägivald", both domestic and sexual violence, 116 006 but not
   * the rape crisis centres). Each group is a scored search with filters: a search
   * with filters and no term would score nothing, but Pagefind then fetches every index chunk (3.6 MB at 10,000
   * services, bench_finding.py). */
  function ranked(module, query, said) {
    var groups = [], firsts = 0;  // the first `firsts` groups are the first contacts, shown as "start here"
    function find(text, filters) { groups.push(module.search(text, { filters: filters })); }
    if (said.needs.length) {
      var need = { kind: "service", need: { any: said.needs } }, open = said.now ? { open: "24/7" } : {};
      var texts = [query].concat(said.phrases.filter(function (phrase) { return phrase !== query.toLowerCase(); }));
      var sets = [Object.assign({ first: { all: said.needs } }, open, need)]
        .concat(said.now ? [Object.assign({}, open, need)] : [], [need]);
      sets.forEach(function (filters) { texts.forEach(function (text) { find(text, filters); }); });
      firsts = texts.length;
    }
    find(query, { kind: "service" });
    find(query, { kind: { not: "service" } });
    return Promise.all(groups).then(function (all) {
      var seen = Object.create(null);
      return all.reduce(function (list, found, group) {
        var first = group < firsts;
        return list.concat(found.results.filter(function (r) { return seen[r.id] ? false : (seen[r.id] = true); })
          .map(function (r) { return { id: r.id, first: first, data: function () { return r.data(); } }; }));
      }, []);
    });
  }

  /* A service's entry for the list for the client (client-list.js), written at build time from the public data. */
  function listEntry(json) {
    if (!json) return null;
    try {
      var entry = JSON.parse(json);
      var ok = typeof entry.id === "string" && typeof entry.n === "string" && Array.isArray(entry.lines);
      return ok ? entry : null;
    } catch (e) { return null; }
  }

  function item(data, first) {
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "abi-search__kind";
    kind.textContent = text((data.filters && data.filters.kind && data.filters.kind[0]) || "page", "") +
      (first ? " · " + text("first", "") : "");
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    li.appendChild(kind);
    li.appendChild(link);
    if (data.meta.tel && data.meta.phone && /^tel:[+\d]+$/.test(data.meta.tel)) {
      var phone = document.createElement("a");
      phone.className = "abi-search__phone";
      phone.href = data.meta.tel;
      phone.textContent = data.meta.phone;
      li.appendChild(phone);
    }
    var entry = listEntry(data.meta.list);
    if (entry && window.abikaartList) li.appendChild(window.abikaartList.button(entry, "abi-search__pick"));
    return li;
  }

  function show(results, from, mine) {
    var page = results.slice(from, from + PAGE);
    return Promise.all(page.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== generation) return;
      var old = list.querySelector(".abi-search__more-item");
      if (old) old.remove();
      data.forEach(function (d, i) { list.appendChild(item(d, page[i].first)); });
      if (results.length > from + PAGE) {
        var li = document.createElement("li");
        li.className = "abi-search__more-item";
        var more = document.createElement("button");
        more.type = "button";
        more.className = "abi-search__more";
        more.textContent = text("more", "");
        more.addEventListener("click", function () {
          var next = list.children.length - 1;
          show(results, from + PAGE, mine).then(function () {
            var first = list.children[next] && list.children[next].querySelector("a");
            if (first) first.focus();
          });
        });
        li.appendChild(more);
        list.appendChild(li);
      }
    });
  }

  // What the person typed, each word folded (fold).
  function typed() {
    return input.value.trim().split(/\s+/).map(fold).join(" ");
  }

  function run() {
    var query = typed();
    var mine = ++generation;
    list.setAttribute("aria-busy", "true");
    if (!query) { list.textContent = ""; status.textContent = ""; return done(mine); }
    return Promise.all([load(), vocabulary()]).then(function (both) {
      var module = both[0], vocab = both[1];
      return ranked(module, lemmas(query, vocab), situation(query, vocab)).then(function (results) {
        // A word the site does not have is corrected even when its prefix matched something.
        var fixed = correct(query, vocab);
        if (!fixed) return { results: results, corrected: null };
        return ranked(module, lemmas(fixed, vocab), situation(fixed, vocab)).then(function (again) {
          return again.length ? { results: again, corrected: fixed } : { results: results, corrected: null };
        });
      }).then(function (found) {
        if (mine !== generation) return;
        list.textContent = "";
        var said = found.results.length ? text("results", String(found.results.length)) : text("none", "");
        if (found.corrected && found.results.length) said = text("corrected", found.corrected) + ". " + said;
        status.textContent = said;
        return show(found.results, 0, mine);
      });
    }).catch(function () {
      if (mine === generation) status.textContent = text("error", "");
    }).then(function () { return done(mine); });
  }

  function done(mine) {
    if (mine === generation) list.setAttribute("aria-busy", "false");
    return Promise.resolve();
  }

  // While the person types: fetch Pagefind, the word list and the query's index chunks, so the search after the
  // pause has them.
  function prepare() {
    var query = typed();
    if (!query) return;
    Promise.all([load(), vocabulary()]).then(function (both) {
      return both[0].preload(lemmas(query, both[1]), { filters: { kind: "service" } });
    }).catch(function () { /* run() says so */ });
  }

  input.addEventListener("input", function () {
    list.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(run, 150);
    prepare();
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; run(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
})();
