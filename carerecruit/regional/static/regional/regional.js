// Regional dashboard: draw each chart from the Vega-Lite spec the server embeds. The
// same figures are always in the table beside it; without JavaScript the figure stays
// hidden and the tables carry everything.
(function () {
  "use strict";

  function draw(figure) {
    var id = figure.getAttribute("data-regional-chart");
    var specElement = document.getElementById(id + "-spec");
    var target = document.getElementById(id);
    if (!specElement || !target || typeof window.vegaEmbed !== "function") {
      return;
    }
    figure.hidden = false;
    window
      .vegaEmbed(target, JSON.parse(specElement.textContent), { actions: false, renderer: "svg" })
      .then(function () {
        figure.setAttribute("data-drawn", "true");
      })
      .catch(function () {
        figure.hidden = true;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-regional-chart]"), draw);
  });
})();
