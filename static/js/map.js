/* The map of places (Leaflet + Leaflet.markercluster, vendored in static/vendor/).
 *
 * A host element names three JSON blocks the server wrote with json_script:
 *   data-map-markers  places: [{name, lat, lon, url, count, count_label}]
 *   data-map-tiles    {url, attribution, attribution_url}; an empty url: no tile layer
 *   data-map-labels   texts in the page's language
 * Without JavaScript, or when Leaflet did not load, the host keeps what the server put in
 * it (the plain plot of places) and the list of places on the page says the same.
 * Keyboard: Tab reaches every marker and cluster (role=button); Enter opens a place's popup
 * and moves the focus to its link; Escape closes it and returns the focus to the marker.
 */
(function () {
  "use strict";

  function readJson(id) {
    var element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) element.className = className;
    return element;
  }

  function popupContent(place, labels) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("p", place.name, "map-popup-name"));
    if (place.count_label) box.appendChild(text("p", place.count_label, "map-popup-count"));
    var link = text("a", labels.items);
    link.href = place.url;
    var line = document.createElement("p");
    line.appendChild(link);
    box.appendChild(line);
    return box;
  }

  function placeIcon(place) {
    var label = place.count_label ? place.name + ", " + place.count_label : place.name;
    var span = document.createElement("span");
    span.className = "visually-hidden";
    span.textContent = label;
    return L.divIcon({
      className: "map-marker",
      html: span.outerHTML,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
    });
  }

  function clusterIcon(labels) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var box = document.createElement("div");
      var shown = text("span", String(count));
      shown.setAttribute("aria-hidden", "true");
      box.appendChild(shown);
      box.appendChild(
        text("span", labels.cluster.replace("%(count)s", count), "visually-hidden")
      );
      return L.divIcon({
        html: box.outerHTML,
        className: "marker-cluster marker-cluster-" + size,
        iconSize: L.point(40, 40),
      });
    };
  }

  function addTiles(map, tiles) {
    if (!tiles || !tiles.url) return;
    var attribution = "";
    if (tiles.attribution) {
      var link = text(tiles.attribution_url ? "a" : "span", tiles.attribution);
      if (tiles.attribution_url) link.href = tiles.attribution_url;
      attribution = link.outerHTML;
    }
    L.tileLayer(tiles.url, { attribution: attribution, maxZoom: 19 }).addTo(map);
  }

  function keepFocusWithPopups(map, labels) {
    var opener = null;
    map.on("popupopen", function (event) {
      var element = event.popup.getElement();
      var close = element.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", labels.close);
        close.setAttribute("title", labels.close);
      }
      opener = event.popup._source && event.popup._source.getElement
        ? event.popup._source.getElement() : null;
      var link = element.querySelector(".map-popup a[href]");
      if (link) link.focus();
    });
    map.on("popupclose", function (event) {
      var element = event.popup.getElement();
      if (opener && element && element.contains(document.activeElement)) opener.focus();
      opener = null;
    });
    // Escape inside the popup (its link has the focus) closes it, as on the map itself.
    map.getContainer().addEventListener("keydown", function (event) {
      if (event.key === "Escape" && map._popup && map._popup.getElement() &&
          map._popup.getElement().contains(event.target)) {
        map.closePopup();
      }
    });
  }

  function median(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    return sorted[Math.floor(sorted.length / 2)];
  }

  // The first view shows the archive's own region: the places within a few degrees of the
  // median place (a far-away place, e.g. a town of exile, would zoom the map out to the
  // whole continent); zooming out reaches the others, and the list names them all.
  function homeBounds(places) {
    var lat = median(places.map(function (p) { return p.lat; }));
    var lon = median(places.map(function (p) { return p.lon; }));
    var near = places.filter(function (p) {
      return Math.abs(p.lat - lat) <= 3 && Math.abs(p.lon - lon) <= 5;
    });
    return L.latLngBounds(near.map(function (p) { return [p.lat, p.lon]; }));
  }

  function init(host) {
    var places = readJson(host.dataset.mapMarkers);
    var tiles = readJson(host.dataset.mapTiles);
    var labels = readJson(host.dataset.mapLabels) || {};
    if (!window.L || !places || !places.length) return;
    host.textContent = "";
    host.classList.add("map-live");
    var canvas = document.createElement("div");
    canvas.className = "map-canvas";
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", labels.map || "");
    host.appendChild(canvas);
    var map = L.map(canvas, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: labels.zoom_in, zoomOutTitle: labels.zoom_out }).addTo(map);
    map.attributionControl.setPrefix(false);
    addTiles(map, tiles);
    var group = L.markerClusterGroup
      ? L.markerClusterGroup({ iconCreateFunction: clusterIcon(labels), maxClusterRadius: 40 })
      : L.featureGroup();
    places.forEach(function (place) {
      L.marker([place.lat, place.lon], { icon: placeIcon(place), keyboard: true, title: place.name })
        .bindPopup(popupContent(place, labels))
        .addTo(group);
    });
    group.addTo(map);
    // Enter on a cluster zooms in and the cluster's element goes away: the focus returns to
    // the map, so the next Tab reaches the markers that were inside it.
    group.on("clusterclick", function () {
      map.once("zoomend", function () {
        window.setTimeout(function () {
          if (!canvas.contains(document.activeElement) || document.activeElement === canvas) {
            canvas.focus();
          }
        }, 0);
      });
    });
    var maxZoom = parseInt(host.dataset.mapMaxZoom || "14", 10);
    map.fitBounds(homeBounds(places), { padding: [30, 30], maxZoom: maxZoom });
    keepFocusWithPopups(map, labels);
    document.querySelectorAll("[data-map-help='" + host.id + "']").forEach(function (help) {
      help.hidden = false;
    });
  }

  function start() {
    document.querySelectorAll("[data-map-markers]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
