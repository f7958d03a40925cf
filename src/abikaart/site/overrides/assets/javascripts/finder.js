/* abikaart finder: filters the public services of window.abikaartFinderData (a script written at build time,
 * finder.py) in the page's memory. Nothing is stored (no cookie, no storage) and a filter change never touches
 * the URL or the history; "copy link" puts the state into a #fragment, which is read once on opening and then
 * removed with replaceState (no history entry). Data is text: every value goes in through textContent.
 * Open now: the data holds each schedule's open intervals in minutes from `base` (UTC epoch seconds), so the
 * device's time zone does not matter; times are shown in Europe/Tallinn.
 * On the internal site a channel may carry a seventh field, the reason it is still to verify: such a contact is
 * shown marked, never as a link, never counted by a filter or as open, and never put into the client's list; a
 * service's internal note (`in`) is shown with it. The list for the client is client-list.js. */
(function () {
  "use strict";
  var root = document.getElementById("abi-finder");
  var data = window.abikaartFinderData;
  if (!root || !data || !window.abikaartDom) return;
  var S = JSON.parse(root.getAttribute("data-strings"));
  var form = document.getElementById("abi-finder-form");
  var results = document.getElementById("abi-finder-results");
  var summary = document.getElementById("abi-finder-summary");
  var GROUPS = ["needs", "counties", "languages", "channels", "audiences"];
  var FIELD = { needs: "need", counties: "county", languages: "lang", audiences: "aud" };
  var TOGGLES = ["open", "free", "anon"];
  var PAGE = 50;
  var services = data.services;
  var shown = PAGE;
  var clientList = window.abikaartList;
  function checked(ch) { return ch.length < 7; }  /* not a contact to verify */

  var fmt = window.abikaartDom.fmt, el = window.abikaartDom.el;  /* client-list.js */

  /* Time ----------------------------------------------------------------------------------------------- */
  var timeFmt, dayFmt;
  try {
    timeFmt = new Intl.DateTimeFormat(data.lang, { timeZone: "Europe/Tallinn", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    dayFmt = new Intl.DateTimeFormat(data.lang, { timeZone: "Europe/Tallinn", weekday: "short" });
  } catch (e) { timeFmt = null; }
  function minuteNow() { return (Date.now() / 1000 - data.base) / 60; }
  function inData(now) { return now >= 0 && now < (data.end - data.base) / 60; }
  function clock(minute, now) {
    var date = new Date((data.base + minute * 60) * 1000);
    if (!timeFmt) return date.toISOString().slice(11, 16) + " UTC";
    var time = timeFmt.format(date);
    var sameDay = dayFmt.format(date) === dayFmt.format(new Date((data.base + now * 60) * 1000)) && minute - now < 1440;
    return sameDay ? time : dayFmt.format(date) + " " + time;
  }
  /* One schedule's state at `now`: {always}, {open, until} or {open: false, next}; null when unknown. */
  var stateCache = {};
  function scheduleState(slot, now) {
    if (slot === null || slot === undefined) return null;
    if (stateCache[slot]) return stateCache[slot];
    var spans = data.schedules[slot], state;
    if (spans[0] === -1) state = { open: true, always: true };
    else {
      state = { open: false, next: null };
      for (var i = 0; i < spans.length; i += 2) {
        if (spans[i] <= now && now < spans[i + 1]) { state = { open: true, until: spans[i + 1] }; break; }
        if (spans[i] > now) { state = { open: false, next: spans[i] }; break; }
      }
    }
    return (stateCache[slot] = state);
  }
  function channelOpen(ch, now) { var st = checked(ch) && scheduleState(ch[3], now); return !!(st && st.open); }

  /* State ------------------------------------------------------------------------------------------------ */
  function readState() {
    var state = {};
    GROUPS.concat(TOGGLES).forEach(function (name) {
      state[name] = Array.prototype.filter.call(form.elements[name] ? form.querySelectorAll('input[name="' + name + '"]') : [],
        function (box) { return box.checked; }).map(function (box) { return +box.value; });
    });
    return state;
  }
  function writeState(state) {
    GROUPS.concat(TOGGLES).forEach(function (name) {
      Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (box) {
        box.checked = (state[name] || []).indexOf(+box.value) >= 0;
      });
    });
  }
  function active(state, name) { return state[name].length > 0; }

  /* Matching: one test per filter; several choices in one filter = any, different filters = all. */
  function anyOf(values, chosen) {
    for (var i = 0; i < chosen.length; i++) if (values.indexOf(chosen[i]) >= 0) return true;
    return false;
  }
  function test(svc, name, state, now) {
    var chosen = state[name];
    if (!chosen.length) return true;
    if (name === "counties") return svc.nw || anyOf(svc.county, chosen);
    if (name === "channels") return svc.ch.some(function (ch) { return checked(ch) && chosen.indexOf(ch[0]) >= 0; });
    if (name === "free") return svc.free;
    if (name === "anon") return svc.anon;
    if (name === "open") return svc.ch.some(function (ch) {
      return (!state.channels.length || state.channels.indexOf(ch[0]) >= 0) && channelOpen(ch, now);
    });
    return anyOf(svc[FIELD[name]], chosen);
  }
  var NAMES = GROUPS.concat(TOGGLES);
  /* One pass: the matches, and for each filter how many services match all the other filters (option counts,
   * and what dropping that filter would bring back). */
  function evaluate(state, now) {
    var matches = [], without = {}, counts = {};
    NAMES.forEach(function (n) { without[n] = 0; counts[n] = {}; });
    for (var i = 0; i < services.length; i++) {
      var svc = services[i], failed = null, fails = 0;
      for (var k = 0; k < NAMES.length && fails < 2; k++) {
        if (!test(svc, NAMES[k], state, now)) { fails++; failed = NAMES[k]; }
      }
      if (fails === 0) matches.push(i);
      if (fails >= 2) continue;
      NAMES.forEach(function (n) {
        if (fails === 1 && failed !== n) return;
        if (fails === 1) without[n]++;
        optionsOf(svc, n, state, now).forEach(function (o) { counts[n][o] = (counts[n][o] || 0) + 1; });
      });
    }
    return { matches: firstContacts(matches, state), without: without, counts: counts };
  }
  // The chosen needs' first contacts (the data's first_contact_for: 116 006 for a victim) lead, the rest keep
  // their order by name.
  function firstContacts(matches, state) {
    if (!state.needs.length) return matches;
    var first = [], rest = [];
    matches.forEach(function (i) { (anyOf(services[i].first || [], state.needs) ? first : rest).push(i); });
    return first.concat(rest);
  }
  function optionsOf(svc, name, state, now) {
    if (name === "counties") return svc.nw ? data.terms.counties.map(function (_, i) { return i; }) : svc.county;
    if (name === "channels") return svc.ch.filter(checked).map(function (ch) { return ch[0]; })
      .filter(function (t, i, all) { return all.indexOf(t) === i; });
    if (name === "free") return svc.free ? [1] : [];
    if (name === "anon") return svc.anon ? [1] : [];
    if (name === "open") return test(svc, "open", { channels: state.channels, open: [1] }, now) ? [1] : [];
    return svc[FIELD[name]];
  }

  /* Results ---------------------------------------------------------------------------------------------- */
  function channelName(ch) { return data.terms.channels[ch[0]] || ""; }
  function channelLine(ch, now) {
    var st = scheduleState(ch[3], now), name = channelName(ch);
    if (!st || !inData(now)) return ch[4] ? name + ": " + ch[4] : "";
    if (st.always) return fmt(S.always, { channel: name });
    if (st.open) return fmt(S.open_until, { channel: name, time: clock(st.until, now) });
    if (st.next !== null) return fmt(S.opens_at, { channel: name, time: clock(st.next, now) });
    return fmt(S.closed_days, { channel: name });
  }
  function reasons(svc, state, now) {
    var why = [];
    function named(kind, chosen, values) {
      return chosen.filter(function (c) { return values.indexOf(c) >= 0; }).map(function (c) { return data.terms[kind][c]; });
    }
    if (active(state, "needs")) why.push(S.need + ": " + named("needs", state.needs, svc.need).join(", "));
    if (active(state, "counties")) {
      var local = named("counties", state.counties, svc.county);
      why.push(local.length ? S.county + ": " + local.join(", ") : S.nationwide);
    }
    if (active(state, "languages")) why.push(S.language + ": " + named("languages", state.languages, svc.lang).join(", "));
    if (active(state, "channels")) why.push(S.channel + ": " + named("channels", state.channels, svc.ch.filter(checked).map(function (c) { return c[0]; })).join(", "));
    if (active(state, "audiences")) why.push(S.audience + ": " + named("audiences", state.audiences, svc.aud).join(", "));
    if (active(state, "free")) why.push(S.free);
    if (active(state, "anon")) why.push(S.anon);
    if (active(state, "open")) why.push(svc.ch.filter(function (ch) {
      return (!state.channels.length || state.channels.indexOf(ch[0]) >= 0) && channelOpen(ch, now);
    }).map(function (ch) { return channelLine(ch, now); }).join("; "));
    return why;
  }
  function card(index, state, now) {
    var svc = services[index];
    var item = el("li", "abi-finder__result");
    item.setAttribute("data-service", svc.id);
    var title = el("h3", "abi-finder__name");
    var link = el("a", null, svc.n);
    link.href = svc.u + (location.protocol === "file:" && /\/$/.test(svc.u) ? "index.html" : "");  /* offline copy */
    title.appendChild(link);
    item.appendChild(title);
    item.appendChild(el("p", "abi-finder__org", svc.o));
    var contacts = el("ul", "abi-finder__contacts");
    svc.ch.forEach(function (ch) {
      var li = el("li");
      if (!checked(ch)) {  /* internal site: a contact still to verify, never presented as working */
        li.className = "abi-finder__unverified";
        li.appendChild(el("strong", "abi-finder__verify", S.to_verify));
        li.appendChild(document.createTextNode(" "));
      }
      li.appendChild(el("span", "abi-finder__channel", channelName(ch) + ": "));
      if (ch[2]) { var a = el("a", null, ch[1]); a.href = ch[2]; if (/^https?:/.test(ch[2])) a.rel = "noopener noreferrer"; li.appendChild(a); }
      else if (ch[1]) li.appendChild(document.createTextNode(ch[1]));
      if (ch[5]) li.appendChild(document.createTextNode(" " + ch[5]));
      if (!checked(ch)) {
        li.appendChild(el("span", "abi-finder__reason", " — " + S.to_verify_reason + ": " + ch[6]));
        contacts.appendChild(li);
        return;
      }
      var line = ch[3] !== null ? channelLine(ch, now).replace(channelName(ch) + ": ", "") : "";
      if (line) {
        var st = scheduleState(ch[3], now);
        li.appendChild(el("span", "abi-finder__when" + (st && st.open ? " abi-finder__when--open" : ""), " — " + line));
      }
      contacts.appendChild(li);
    });
    item.appendChild(contacts);
    if (svc["in"]) {
      var note = el("p", "abi-finder__note");
      note.appendChild(el("strong", null, S.internal_note + ": "));
      note.appendChild(document.createTextNode(svc["in"]));
      item.appendChild(note);
    }
    var why = reasons(svc, state, now);
    if (why.length) item.appendChild(el("p", "abi-finder__why", S.why + ": " + why.join(" · ")));
    if (clientList) item.appendChild(clientList.button(entry(svc), "abi-finder__pick"));
    return item;
  }
  /* The service as the client's list holds it: checked contacts only, no internal note. */
  function entry(svc) {
    return { id: svc.id, n: svc.n, o: svc.o, v: svc.v, lines: svc.ch.filter(checked).map(function (ch) {
      return channelName(ch) + ": " + ch[1] + (ch[5] ? ", " + ch[5] : "") + (ch[4] ? " — " + ch[4] : "");
    }) };
  }
  function section(heading, indices, state, now, into) {
    if (!indices.length) return;
    if (heading) into.appendChild(el("h3", "abi-finder__heading", heading));
    var ul = el("ul", "abi-finder__results");
    indices.forEach(function (i) { ul.appendChild(card(i, state, now)); });
    into.appendChild(ul);
  }

  function render() {
    stateCache = {};
    var state = readState(), now = minuteNow();
    var fresh = inData(now);
    var openBox = form.querySelector('input[name="open"]');
    openBox.disabled = !fresh;
    if (!fresh) { openBox.checked = false; state.open = []; }
    var dataEnd = document.getElementById("abi-finder-dataend");
    dataEnd.textContent = fresh ? fmt(S.data_until, { date: data.endText }) : S.data_old;
    dataEnd.hidden = false;
    var found = evaluate(state, now);
    updateOptions(state, found);
    var frag = document.createDocumentFragment();
    var matches = found.matches;
    summary.hidden = false;
    summary.textContent = fmt(S.count, { n: matches.length });
    if (!matches.length) nothingFound(state, found, now, frag);
    else {
      var visible = matches.slice(0, shown);
      if (active(state, "counties")) {
        section(S.local_heading, visible.filter(function (i) { return anyOf(services[i].county, state.counties); }), state, now, frag);
        section(S.nationwide_heading, visible.filter(function (i) { return !anyOf(services[i].county, state.counties); }), state, now, frag);
      } else section(null, visible, state, now, frag);
      if (matches.length > shown) {
        var more = el("button", "md-button abi-finder__more", fmt(S.more, { n: Math.min(PAGE, matches.length - shown) }));
        more.type = "button";
        more.id = "abi-finder-more";
        frag.appendChild(more);
      }
    }
    results.textContent = "";
    results.appendChild(frag);
  }
  function updateOptions(state, found) {
    NAMES.forEach(function (name) {
      Array.prototype.forEach.call(form.querySelectorAll('input[name="' + name + '"]'), function (box) {
        var n = found.counts[name][+box.value] || 0;
        var label = box.parentNode, count = label.querySelector(".abi-finder__count");
        count.textContent = n ? "(" + n + ")" : "(" + S.no_match + ")";
        label.classList.toggle("abi-finder__option--none", n === 0 && !box.checked);
      });
      var group = form.querySelector('[data-group="' + name + '"] .abi-finder__chosen');
      if (group) group.textContent = state[name].length ? "(" + state[name].length + ")" : "";
    });
  }
  function nothingFound(state, found, now, into) {
    into.appendChild(el("p", "abi-finder__none", S.none));
    var best = null;
    NAMES.forEach(function (n) {
      if (active(state, n) && found.without[n] > 0 && (!best || found.without[n] > found.without[best])) best = n;
    });
    if (best) {
      var drop = el("button", "md-button abi-finder__drop", fmt(S.drop, { filter: S["filter_" + best], n: found.without[best] }));
      drop.type = "button";
      drop.setAttribute("data-drop", best);
      into.appendChild(drop);
    }
    var always = [];
    services.forEach(function (svc, i) {
      if (svc.ch.some(function (ch) { var st = checked(ch) && scheduleState(ch[3], now); return st && st.always; })) always.push(i);
    });
    section(S.always_heading, always, state, now, into);
  }

  /* The link to send: the state in a #fragment, never in the address bar of this page. */
  function fragment(state) {
    return NAMES.filter(function (n) { return state[n].length; })
      .map(function (n) { return n + "=" + state[n].join("."); }).join("&");
  }
  function restore() {
    var hash = location.hash.replace(/^#/, "");
    if (!hash) return;
    var state = {};
    hash.split("&").forEach(function (part) {
      var kv = part.split("=");
      if (NAMES.indexOf(kv[0]) >= 0) state[kv[0]] = (kv[1] || "").split(".").filter(Boolean).map(Number);
    });
    writeState(state);
    try { history.replaceState(null, "", location.pathname + location.search); } catch (e) { /* file:// */ }
  }
  function copyText(text, status, box, done) {
    function fallback() { box.hidden = false; box.value = text; box.focus(); box.select(); status.textContent = S.copy_manual; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { box.hidden = true; status.textContent = done; }, fallback);
    } else fallback();
  }

  /* Wiring ------------------------------------------------------------------------------------------------ */
  form.addEventListener("change", function () { shown = PAGE; render(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("abi-finder-clear").addEventListener("click", function () { writeState({}); shown = PAGE; render(); });
  document.getElementById("abi-finder-copy").addEventListener("click", function () {
    var link = location.href.split("#")[0] + "#" + fragment(readState());
    copyText(link, document.getElementById("abi-finder-copied"), document.getElementById("abi-finder-link"), S.link_copied);
  });
  results.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    if (!target) return;
    if (target.hasAttribute("data-drop")) {
      var state = readState(); state[target.getAttribute("data-drop")] = []; writeState(state); render();
    } else if (target.id === "abi-finder-more") { shown += PAGE; render(); }
  });
  restore();
  var picked = document.getElementById("abi-picked");
  if (picked && picked.parentNode !== root) root.appendChild(picked);  /* the list below the results */
  form.hidden = false;
  var fallback = root.querySelector(".abi-finder__fallback");
  if (fallback) fallback.hidden = true;
  render();
  window.abikaartFinder = { render: render, evaluate: function () { return evaluate(readState(), minuteNow()).matches.length; } };
})();
