// Campaign dashboard: draws the chart from the Vega-Lite spec the server embeds (the same
// figures are in the "by day" table), redraws it when an htmx refresh brings a different
// spec, and updates the short live summary only when the counts change, so a screen
// reader hears about new activity without the whole table being read out every poll.
(function () {
  "use strict";

  var drawnSpec = null;

  function drawChart() {
    var specElement = document.getElementById("cr-chart-spec");
    var figure = document.getElementById("cr-chart-figure");
    var target = document.getElementById("cr-chart");
    if (!specElement || !figure || !target || typeof window.vegaEmbed !== "function") {
      return;
    }
    var specText = specElement.textContent;
    if (specText === drawnSpec) {
      return;
    }
    drawnSpec = specText;
    // The figure stays hidden without JavaScript: the table carries the same numbers.
    figure.hidden = false;
    window
      .vegaEmbed(target, JSON.parse(specText), { actions: false, renderer: "svg" })
      .catch(function () {
        figure.hidden = true;
        drawnSpec = null;
      });
  }

  function announce() {
    var live = document.getElementById("cr-live");
    var region = document.getElementById("cr-live-summary");
    if (!live || !region) {
      return;
    }
    var summary = live.getAttribute("data-summary");
    if (summary && region.textContent.trim() !== summary) {
      region.textContent = summary;
    }
  }

  document.addEventListener("DOMContentLoaded", drawChart);
  document.addEventListener("htmx:afterSwap", function () {
    drawChart();
    announce();
  });
})();
