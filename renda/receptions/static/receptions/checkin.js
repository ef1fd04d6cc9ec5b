// Check-in on the phone: ask for the position, put it into the form's hidden fields, then send the form.
// Without geolocation (refused, unavailable, too slow) the form is sent without a position, which the server accepts.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var form = document.getElementById("checkin-form");
    if (!form) return;
    var status = document.getElementById("checkin-status");
    var button = document.getElementById("checkin-button");
    var sent = false;

    function send() {
      if (sent) return; // a second tap, or the timeout racing the position, sends once
      sent = true;
      form.submit();
    }

    form.addEventListener("submit", function (event) {
      if (!navigator.geolocation) return; // plain form post, no position
      event.preventDefault();
      if (button) button.disabled = true;
      if (status && status.dataset.locating) status.textContent = status.dataset.locating;
      var fallback = window.setTimeout(function () {
        if (status && status.dataset.without) status.textContent = status.dataset.without;
        send();
      }, 12000);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          window.clearTimeout(fallback);
          form.elements.latitude.value = position.coords.latitude.toFixed(6);
          form.elements.longitude.value = position.coords.longitude.toFixed(6);
          send();
        },
        function () {
          window.clearTimeout(fallback);
          if (status && status.dataset.without) status.textContent = status.dataset.without;
          send();
        },
        { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 }
      );
    });
  });
})();
