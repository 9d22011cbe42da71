/* Zoom viewer for large images (progressive enhancement).
 *
 * figure.html marks a zoomable image with data-zoom-info (its IIIF info.json) and the
 * labels to use. Without JavaScript the picture and a link to a larger copy remain. With
 * it, a button opens OpenSeadragon in place of the picture; the viewer has its own
 * labelled buttons and is keyboard-operable (Tab to the image, then arrows, + − and 0).
 * No inline scripts or styles in the HTML: styles are set here through the DOM, which the
 * Content-Security-Policy allows.
 */
(function () {
  "use strict";

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "zoom-button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  var library = null;

  /* OpenSeadragon (about 270 KB) is fetched only when someone opens a viewer. */
  function withViewerLibrary(src, then) {
    if (typeof OpenSeadragon !== "undefined") {
      then();
      return;
    }
    if (!library) {
      library = document.createElement("script");
      library.src = src;
      document.head.appendChild(library);
    }
    library.addEventListener("load", then, { once: true });
  }

  function enhance(figure) {
    var d = figure.dataset;
    var picture = figure.querySelector("picture");
    if (!picture || !d.zoomInfo) {
      return;
    }
    var viewer = null;
    var panel = document.createElement("div");
    panel.className = "zoom-panel";
    panel.hidden = true;

    var toolbar = document.createElement("div");
    toolbar.className = "zoom-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", d.zoomLabel || "");

    var stage = document.createElement("div");
    stage.className = "zoom-stage";
    /* Size and colour come from kronika.css (.zoom-stage): at most 70 % of the screen's
     * height, so on a phone the page can still be scrolled with a finger above and
     * below the viewer, which takes every touch inside it for panning. */

    var help = document.createElement("p");
    help.className = "zoom-help";
    help.textContent = d.zoomHelp || "";

    function show() {
      picture.hidden = true;
      open.hidden = true;
      panel.hidden = false;
      if (!viewer) {
        viewer = OpenSeadragon({
          element: stage,
          tileSources: d.zoomInfo,
          showNavigationControl: false,
          showNavigator: false,
          visibilityRatio: 1,
          minZoomImageRatio: 0.8,
          maxZoomPixelRatio: 2,
          gestureSettingsMouse: { clickToZoom: true },
          gestureSettingsTouch: { pinchRotate: false }
        });
        viewer.canvas.setAttribute("role", "application");
        viewer.canvas.setAttribute("aria-label", d.zoomLabel || "");
        viewer.canvas.setAttribute("aria-describedby", help.id);
      }
      /* Bring the toolbar into view with the image, then focus the image without the
       * browser scrolling again to it (which pushed the buttons off the top). */
      panel.scrollIntoView({ block: "nearest" });
      viewer.canvas.focus({ preventScroll: true });
    }

    var open = button(d.zoomOpen || "Zoom", function () {
      withViewerLibrary(d.zoomScript, show);
    });

    function close() {
      panel.hidden = true;
      picture.hidden = false;
      open.hidden = false;
      open.focus();
    }

    help.id = "zoom-help-" + Math.random().toString(36).slice(2);
    toolbar.appendChild(button(d.zoomIn || "+", function () {
      viewer.viewport.zoomBy(1.5);
      viewer.viewport.applyConstraints();
    }));
    toolbar.appendChild(button(d.zoomOut || "−", function () {
      viewer.viewport.zoomBy(1 / 1.5);
      viewer.viewport.applyConstraints();
    }));
    toolbar.appendChild(button(d.zoomHome || "0", function () {
      viewer.viewport.goHome();
    }));
    toolbar.appendChild(button(d.zoomFull || "⛶", function () {
      viewer.setFullScreen(!viewer.isFullPage());
    }));
    toolbar.appendChild(button(d.zoomClose || "×", close));

    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !viewer.isFullPage()) {
        close();
      }
    });

    panel.appendChild(toolbar);
    panel.appendChild(stage);
    panel.appendChild(help);
    picture.parentNode.insertBefore(open, picture.nextSibling);
    figure.insertBefore(panel, open.nextSibling);
  }

  function start() {
    var figures = document.querySelectorAll("figure[data-zoom-info]");
    for (var i = 0; i < figures.length; i++) {
      enhance(figures[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
