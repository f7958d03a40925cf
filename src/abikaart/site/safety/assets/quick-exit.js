/* abikaart quick exit.
 * The exit link works on its own (a plain link to a neutral site). This script makes it better: a click, or Shift
 * pressed on its own N times within the time window (any other key resets the count), blanks the page at once
 * and replaces it with the neutral site through location.replace, so Back does not return to it. Coming back to
 * one of our pages through Back/Forward after an exit leaves again before anything is shown (bfcache too).
 * Loaded synchronously in <head> for that reason; it is small and has no dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  var exitUrl = script && script.getAttribute("data-abk-exit-url");
  var FLAG = "abikaart-exit";
  if (!exitUrl) return;

  function flagged() {
    try { return window.sessionStorage.getItem(FLAG) === "1"; } catch (e) { return false; }
  }

  function leave() {
    var root = document.documentElement;
    root.style.setProperty("display", "none", "important");
    if (document.body) {
      while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    }
    try { window.sessionStorage.setItem(FLAG, "1"); } catch (e) { /* storage off: Back is still covered */ }
    window.location.replace(exitUrl);
  }

  var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
  if (flagged()) {
    if (entries.length && entries[0].type === "back_forward") { leave(); return; }
    try { window.sessionStorage.removeItem(FLAG); } catch (e) { /* nothing to forget */ }
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && flagged()) leave();
  });

  function setup() {
    var bar = document.querySelector("[data-abk-exit]");
    if (!bar) return;
    var link = bar.querySelector("a");
    var status = bar.querySelector("[role=status]");
    var dots = bar.querySelectorAll(".abk-exit__dot");
    var presses = parseInt(bar.getAttribute("data-abk-presses"), 10) || 3;
    var windowMs = parseInt(bar.getAttribute("data-abk-window"), 10) || 5000;
    var count = 0;
    var alone = false;
    var timer = null;

    function say(key) {
      if (status) status.textContent = bar.getAttribute("data-abk-" + key) || "";
    }
    function show() {
      for (var i = 0; i < dots.length; i++) dots[i].classList.toggle("is-on", i < count);
      bar.classList.toggle("abk-exit--counting", count > 0);
    }
    function reset() {
      if (timer) window.clearTimeout(timer);
      timer = null;
      if (count > 0) say("cancelled");
      count = 0;
      show();
    }

    bar.classList.add("abk-exit--js");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      leave();
    });
    link.addEventListener("auxclick", function (event) {
      event.preventDefault();
      leave();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Shift") {
        if (!event.repeat) alone = true;
        return;
      }
      alone = false;
      reset();
    }, true);
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift" || !alone) return;
      alone = false;
      count += 1;
      show();
      if (count >= presses) {
        say("exiting");
        leave();
        return;
      }
      say("left-" + (presses - count));
      if (count === 1) timer = window.setTimeout(reset, windowMs);
    }, true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
