/* A map picker in the admin's place form (archive/admin.py, PlaceAdmin): a click on the map
 * (or Enter with the map selected: its centre) fills the latitude and longitude fields,
 * which stay typeable; what is typed moves the marker. Leaflet is vendored in static/vendor/.
 */
(function () {
  "use strict";

  function start() {
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!lat || !lon || !window.L || !lat.dataset.mapPicker) return;
    var config = JSON.parse(lat.dataset.mapPicker);
    var row = lat.closest(".form-row") || lat.parentNode;
    var help = document.createElement("p");
    help.className = "help map-picker-help";
    help.id = "map-picker-help";
    help.textContent = config.labels.pick;
    var box = document.createElement("div");
    box.className = "map-picker";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", config.labels.map);
    box.setAttribute("aria-describedby", help.id);
    row.after(help, box);

    var map = L.map(box, { scrollWheelZoom: false });
    if (config.tiles.url) {
      var credit = document.createElement(config.tiles.attribution_url ? "a" : "span");
      credit.textContent = config.tiles.attribution;
      if (config.tiles.attribution_url) credit.href = config.tiles.attribution_url;
      L.tileLayer(config.tiles.url, { attribution: credit.outerHTML, maxZoom: 19 }).addTo(map);
    }
    map.attributionControl.setPrefix(false);
    var icon = L.divIcon({ className: "map-marker", iconSize: [22, 22], iconAnchor: [11, 11] });
    var marker = null;

    function read() {
      var a = parseFloat(String(lat.value).replace(",", "."));
      var b = parseFloat(String(lon.value).replace(",", "."));
      if (!isFinite(a) || !isFinite(b) || Math.abs(a) > 90 || Math.abs(b) > 180) return null;
      return [a, b];
    }

    function show(point, pan) {
      if (!point) {
        if (marker) marker.remove();
        marker = null;
        return;
      }
      if (!marker) marker = L.marker(point, { icon: icon, keyboard: false }).addTo(map);
      else marker.setLatLng(point);
      if (pan) map.panTo(point);
    }

    function pick(latlng) {
      var point = latlng.wrap();
      lat.value = point.lat.toFixed(6);
      lon.value = point.lng.toFixed(6);
      show([point.lat, point.lng]);
      [lat, lon].forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

    var current = read();
    map.setView(current || config.center, current ? 14 : config.zoom);
    show(current);
    map.on("click", function (event) { pick(event.latlng); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === box) {
        event.preventDefault();
        pick(map.getCenter());
      }
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("input", function () { show(read(), true); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
