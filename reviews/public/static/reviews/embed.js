// A chart framed on another site tells the frame's parent how tall it is,
// on load and whenever its size changes (a font arriving, a narrower frame),
// so the site's embed-host.js can fit the frame to it. Only a height is sent.
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function tell() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "regional-review-embed-height", height: height }, "*");
  }
  window.addEventListener("load", tell);
  if ("ResizeObserver" in window) new ResizeObserver(tell).observe(document.documentElement);
  tell();
})();
