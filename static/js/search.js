// Search page: on a wide screen the "Narrow the results" panel sits beside the results,
// so it starts open there. Without this script it is a plain <details> that a click,
// Enter or Space opens; nothing else depends on it.
(function () {
  "use strict";
  var panel = document.getElementById("facets");
  if (panel && window.matchMedia("(min-width: 56rem)").matches) {
    panel.open = true;
  }
})();
