// Progressive enhancement: a "Copy link" button beside each read-only link field. The
// link table is refreshed by htmx, so buttons in a freshly swapped table are set up too.
(function () {
  "use strict";

  function setUp(root) {
    if (!navigator.clipboard) return;
    root.querySelectorAll(".cr-copy").forEach((button) => {
      if (button.dataset.ready) return;
      button.dataset.ready = "true";
      button.hidden = false;
      button.addEventListener("click", async () => {
        const input = document.getElementById(button.dataset.copyTarget);
        await navigator.clipboard.writeText(input.value);
        button.textContent = "Copied";
        setTimeout(() => { button.textContent = "Copy link"; }, 2000);
      });
    });
  }

  setUp(document);
  document.addEventListener("htmx:afterSwap", () => setUp(document));
})();
