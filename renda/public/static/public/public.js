// Public pages, progressive enhancement only: every link works without this file.
// Elements marked data-near are links to a station list; with a location from the browser they add ?lat=&lng=.
(function () {
  "use strict";

  function withLocation(href, position) {
    var url = new URL(href, window.location.href);
    url.searchParams.set("lat", position.coords.latitude.toFixed(5));
    url.searchParams.set("lng", position.coords.longitude.toFixed(5));
    url.searchParams.delete("page");
    return url.pathname + url.search;
  }

  function enhance(link) {
    if (!("geolocation" in navigator)) {
      return; // the link stays a plain link (or stays hidden when it is useless without a location)
    }
    var status = link.parentNode.querySelector(".near-status");
    link.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      if (status) status.textContent = link.getAttribute("data-msg-locating") || "";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          window.location.assign(withLocation(link.getAttribute("href"), position));
        },
        function () {
          if (status) status.textContent = link.getAttribute("data-msg-failed") || "";
        },
        { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-near]"), enhance);
  });
})();
