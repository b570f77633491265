// Dashboards: draw each chart from the Vega-Lite spec the server embeds (the same figures
// are in the table beside it), redraw a chart when an htmx refresh brings a different
// spec, and update the short live summary only when the counts change, so a screen
// reader hears about new activity without the whole table being read out every poll.
(function () {
  "use strict";

  // Chart element id suffix → the id of the script holding its spec.
  var CHARTS = {
    "": "cr-chart-spec",
    "-funnel": "cr-chart-spec-funnel",
    "-channels": "cr-chart-spec-channels"
  };
  var drawnSpecs = {};

  function drawChart(suffix) {
    var specElement = document.getElementById(CHARTS[suffix]);
    var figure = document.getElementById("cr-chart-figure" + suffix);
    var target = document.getElementById("cr-chart" + suffix);
    if (!specElement || !figure || !target || typeof window.vegaEmbed !== "function") {
      return;
    }
    var specText = specElement.textContent;
    if (specText === drawnSpecs[suffix]) {
      return;
    }
    drawnSpecs[suffix] = specText;
    // The figure stays hidden without JavaScript: the table carries the same numbers.
    figure.hidden = false;
    window
      .vegaEmbed(target, JSON.parse(specText), { actions: false, renderer: "svg" })
      .catch(function () {
        figure.hidden = true;
        drawnSpecs[suffix] = null;
      });
  }

  function drawCharts() {
    Object.keys(CHARTS).forEach(drawChart);
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

  document.addEventListener("DOMContentLoaded", drawCharts);
  document.addEventListener("htmx:afterSwap", function () {
    drawCharts();
    announce();
  });
})();
