// SPDX-License-Identifier: EUPL-1.2
// Progressive enhancement: show upload progress for large files. Without JavaScript the form
// posts normally and the browser shows its own progress.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  form.addEventListener("submit", function (event) {
    var input = form.querySelector('input[type="file"]');
    if (!input || !input.files || !input.files.length) return;
    event.preventDefault();
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var text = document.getElementById("upload-percentage");
    box.hidden = false;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var pct = Math.round((e.loaded / e.total) * 100);
        bar.value = pct;
        text.textContent = pct + "%";
      }
    });
    xhr.addEventListener("load", function () {
      if (xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.location.href = xhr.responseURL;
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener("error", function () {
      text.textContent = "Het uploaden is mislukt. Probeer het opnieuw.";
    });
    xhr.send(new FormData(form));
  });
})();
