/* abikaart: "print this service" and "copy as text" on a service page (a list across pages would need storage,
 * which the site never uses; the list for the client is on the finder page). Without JavaScript the buttons stay
 * hidden and the browser's own print works, with the same print stylesheet. */
(function () {
  "use strict";
  var tools = document.querySelector(".abi-service-tools");
  var body = document.querySelector(".abi-service");
  if (!tools || !body) return;
  var status = tools.querySelector("[role=status]");
  tools.hidden = false;
  tools.querySelector("[data-abi-print]").addEventListener("click", function () { window.print(); });
  tools.querySelector("[data-abi-copy]").addEventListener("click", function () {
    var text = body.innerText.replace(tools.innerText, "").replace(/\n{3,}/g, "\n\n").trim();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { status.textContent = tools.getAttribute("data-copied"); });
    }
  });
})();
