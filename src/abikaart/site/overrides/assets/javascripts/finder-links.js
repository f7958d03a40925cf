/* abikaart: with JavaScript, the home page's need choices open the finder on that need (without it they are
 * plain links to the need pages). */
(function () {
  "use strict";
  var links = document.querySelectorAll("a[data-finder]");
  for (var i = 0; i < links.length; i++) links[i].setAttribute("href", links[i].getAttribute("data-finder"));
})();
