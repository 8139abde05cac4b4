// On a page that shows a Regional Review chart in a frame: fit each of the
// site's frames to the height its chart reports (embed.js). Messages from any
// other origin, or not from one of this page's frames, are ignored.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.regionalReviewEmbeds) return;
  window.regionalReviewEmbeds = true;
  var origin = new URL(script.src).origin;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "regional-review-embed-height") return;
    var height = Number(data.height);
    if (!(height > 0 && height < 20000)) return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = height + "px";
      }
    }
  });
})();
