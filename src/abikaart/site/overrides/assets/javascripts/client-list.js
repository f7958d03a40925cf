/* abikaart: the list for the client, shared by the finder and the search results (window.abikaartList).
 * It lives in this page's memory only: no cookie, no storage, gone when the tab closes. An entry is
 * {id, n (name), o (organisation), lines (one per contact: "Phone: 116 006 — 24/7"), v (date checked)}, made by
 * whoever adds it (finder.js from its data, search.js from the result's metadata); contacts still to verify are
 * never in an entry. Every button with data-list-id (made by `button`) shows whether its service is in the list.
 * Print: the print stylesheet shows the list alone; copy: plain text for an e-mail or a chat message. Data is
 * text: everything goes in through textContent. */
(function () {
  "use strict";
  /* Shared with finder.js, loaded after this file on every page that has the finder. */
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return key in values ? values[key] : m; });
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  window.abikaartDom = { fmt: fmt, el: el };
  var box = document.getElementById("abi-picked");
  if (!box || window.abikaartList) return;
  var S = JSON.parse(box.getAttribute("data-strings"));
  var items = document.getElementById("abi-picked-items");
  var status = document.getElementById("abi-picked-status");
  var textBox = document.getElementById("abi-picked-text");
  var entries = [];

  function at(id) {
    for (var i = 0; i < entries.length; i++) if (entries[i].id === id) return i;
    return -1;
  }
  function label(button) {
    var picked = at(button.getAttribute("data-list-id")) >= 0;
    var word = picked ? S.list_remove : S.list_add;
    button.textContent = word;
    button.setAttribute("aria-pressed", picked ? "true" : "false");
    button.setAttribute("aria-label", word + ": " + button.getAttribute("data-list-name"));
  }
  function render() {
    items.textContent = "";
    entries.forEach(function (entry) {
      var li = el("li", "abi-picked__item");
      li.appendChild(el("strong", "abi-picked__name", entry.n));
      li.appendChild(document.createTextNode(" — " + entry.o));
      var ul = el("ul", "abi-picked__contacts");
      entry.lines.forEach(function (line) { ul.appendChild(el("li", null, line)); });
      li.appendChild(ul);
      li.appendChild(el("p", "abi-picked__checked", fmt(S.checked, { date: entry.v })));
      var remove = el("button", "md-button abi-picked__remove", S.list_remove);
      remove.type = "button";
      remove.setAttribute("data-unpick", entry.id);
      remove.setAttribute("aria-label", S.list_remove + ": " + entry.n);
      li.appendChild(remove);
      items.appendChild(li);
    });
    box.hidden = entries.length === 0;
    Array.prototype.forEach.call(document.querySelectorAll("button[data-list-id]"), label);
  }
  function toggle(entry) {
    var i = at(entry.id);
    if (i >= 0) entries.splice(i, 1); else entries.push(entry);
    render();
    return i < 0;
  }
  function asText() {
    return S.list_title + "\n\n" + entries.map(function (entry) {
      return [entry.n + " (" + entry.o + ")"].concat(entry.lines.map(function (line) { return "  " + line; }),
        ["  " + fmt(S.checked, { date: entry.v })]).join("\n");
    }).join("\n\n");
  }
  function copy() {
    var text = asText();
    status.textContent = "";
    function fallback() { textBox.hidden = false; textBox.value = text; textBox.focus(); textBox.select(); status.textContent = S.copy_manual; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { textBox.hidden = true; status.textContent = S.list_copied; }, fallback);
    } else fallback();
  }

  items.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-unpick]") : null;
    if (target) { entries.splice(at(target.getAttribute("data-unpick")), 1); render(); }
  });
  document.getElementById("abi-picked-print").addEventListener("click", function () { window.print(); });
  document.getElementById("abi-picked-copy").addEventListener("click", copy);

  window.abikaartList = {
    /* A toggle button for `entry` (add / remove, aria-pressed), kept up to date whatever adds or removes it. */
    button: function (entry, cls) {
      var button = el("button", "md-button abi-list-pick" + (cls ? " " + cls : ""));
      button.type = "button";
      button.setAttribute("data-list-id", entry.id);
      button.setAttribute("data-list-name", entry.n);
      button.addEventListener("click", function () { toggle(entry); });
      label(button);
      return button;
    },
    toggle: toggle,
    has: function (id) { return at(id) >= 0; },
    ids: function () { return entries.map(function (entry) { return entry.id; }); },
    text: asText
  };
})();
