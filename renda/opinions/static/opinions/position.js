// "Use my position" on the opinion form, progressive enhancement only (the form works without it):
// the row is shown only where the browser can locate the phone; a tap asks once, and the WGS-84 position goes into
// the hidden lat/lng fields (the server turns it into the stations' coordinate system). Nothing leaves the page
// until the form is submitted; no map or script from another host.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var row = document.getElementById("row-position");
    if (!row || !("geolocation" in navigator)) return;
    var button = document.getElementById("use-position");
    var status = document.getElementById("position-status");
    var lat = document.getElementById("id_lat");
    var lng = document.getElementById("id_lng");
    row.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = row.getAttribute("data-locating");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(6);
          lng.value = position.coords.longitude.toFixed(6);
          status.textContent = row.getAttribute("data-located");
          button.disabled = false;
        },
        function () {
          lat.value = "";
          lng.value = "";
          status.textContent = row.getAttribute("data-failed");
          button.disabled = false;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  });
})();
