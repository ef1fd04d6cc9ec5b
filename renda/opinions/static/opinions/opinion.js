// The opinion form, progressive enhancement only: the form works without this file.
// - A live "n/2000" counter for elements marked data-counter (the id of the counter element).
// - The submit button is disabled once pressed (the client token already makes a double tap harmless).
(function () {
  "use strict";

  function counter(field) {
    var out = document.getElementById(field.getAttribute("data-counter"));
    if (!out) return;
    var max = parseInt(out.getAttribute("data-max"), 10) || 0;
    function update() {
      // Count characters as the server does (code points), not UTF-16 units.
      var n = Array.from(field.value).length;
      out.textContent = n + "/" + max;
      out.classList.toggle("over", max > 0 && n > max);
    }
    field.addEventListener("input", update);
    update();
  }

  function guardDoubleSubmit(form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || button.formAction !== form.action) return; // "mine too" buttons post elsewhere
      window.setTimeout(function () {
        button.disabled = true;
        var label = form.getAttribute("data-submitting");
        if (label) button.textContent = label;
      }, 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-counter]"), counter);
    var form = document.getElementById("opinion-form");
    if (form) guardDoubleSubmit(form);
  });
})();
