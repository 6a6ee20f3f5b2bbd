// SPDX-License-Identifier: EUPL-1.2
// Polls the status of an ingest batch and updates the progress bar and counts; reloads when done.
(function () {
  "use strict";
  var box = document.getElementById("batch-progress");
  if (!box || box.dataset.finished === "1" || !window.fetch) return;
  var bar = document.getElementById("batch-bar");
  var text = document.getElementById("batch-status-text");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (bar) {
          if (s.messages_total) bar.max = s.messages_total;
          bar.value = s.messages_seen;
        }
        ["messages_seen", "accepted", "duplicates", "rejected"].forEach(function (k) {
          var el = document.querySelector('[data-count="' + k + '"]');
          if (el) el.textContent = s[k];
        });
        text.textContent = "Status: " + s.status_display + " – " + s.messages_seen + " van " +
          (s.messages_total || "?") + " berichten verwerkt.";
        if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
