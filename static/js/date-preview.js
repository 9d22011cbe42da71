/* The admin item form's date field: says, while the archivist types, how the date is read
   ("Read as: 1930–1939, lata 30. XX w."), from the staff-only endpoint named in the field's
   data-date-preview attribute (archive/admin_dates.py). Without JavaScript the form shows
   the reading after saving. */
(function () {
  "use strict";

  function attach(input) {
    var output = document.getElementById(input.id + "_reading");
    if (!output) {
      return;
    }
    var timer = null;
    var asked = 0;

    function show(data) {
      output.textContent = data.message || "";
      output.classList.toggle("date-reading-error", !data.ok);
    }

    function ask() {
      var number = ++asked;
      var url = input.getAttribute("data-date-preview") + "?q=" + encodeURIComponent(input.value);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (number === asked) {
            show(data);
          }
        })
        .catch(function () { /* the reading is shown again after saving */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 250);
    });
  }

  function start() {
    document.querySelectorAll("input[data-date-preview]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
