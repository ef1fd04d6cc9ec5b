// The ballot page, progressive enhancement: the form works without this file (the server then makes the secret).
// - The phone makes the voter's secret: 128 random bits, hex, never sent anywhere but with this ballot.
// - A live count of "for" choices against the number of places; the cast button is disabled while over it.
// - The cast button is disabled once pressed (a second cast is refused anyway).
(function () {
  "use strict";

  function secret() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ballot-form");
    if (!form) return;
    var field = document.getElementById("secret");
    if (field && window.crypto && window.crypto.getRandomValues) field.value = secret();
    var limit = parseInt(form.getAttribute("data-limit"), 10);
    var out = document.getElementById("for-count");
    var button = document.getElementById("cast");
    function update() {
      if (!limit || !out) return;
      var n = form.querySelectorAll('input[type="radio"][value="for"]:checked').length;
      out.textContent = n + "/" + limit;
      out.classList.toggle("over", n > limit);
      button.disabled = n > limit;
    }
    form.addEventListener("change", update);
    update();
    form.addEventListener("submit", function () {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
})();
