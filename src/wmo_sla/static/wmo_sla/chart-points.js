// SPDX-License-Identifier: EUPL-1.2
// Chart points (funnel plot): draw the label of the focused or hovered point on top of all other
// points. Without this script the label still shows (CSS :focus/:hover), but later points may
// paint over it, because SVG has no z-index.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  function layerOf(svg) {
    var layer = svg.querySelector(":scope > .chart-overlay");
    if (!layer) {
      layer = document.createElementNS(SVG_NS, "g");
      layer.setAttribute("class", "chart-overlay");
      layer.setAttribute("aria-hidden", "true");
      layer.setAttribute("pointer-events", "none");
      svg.appendChild(layer);
    }
    return layer;
  }

  function pointOf(event) {
    var target = event.target;
    return target && target.closest ? target.closest(".chart-point") : null;
  }

  function show(point) {
    var svg = point.ownerSVGElement;
    var tip = point.querySelector(".chart-tip");
    if (!svg || !tip) return;
    var copy = tip.cloneNode(true);
    copy.setAttribute("visibility", "visible");
    layerOf(svg).replaceChildren(copy);
  }

  function hide(point) {
    var svg = point.ownerSVGElement;
    if (svg) layerOf(svg).replaceChildren();
  }

  document.addEventListener("focusin", function (event) {
    var point = pointOf(event);
    if (point) show(point);
  });
  document.addEventListener("focusout", function (event) {
    var point = pointOf(event);
    if (point) hide(point);
  });
  document.addEventListener("mouseover", function (event) {
    var point = pointOf(event);
    if (point) show(point);
  });
  document.addEventListener("mouseout", function (event) {
    var point = pointOf(event);
    if (point && point !== document.activeElement) hide(point);
  });
})();
