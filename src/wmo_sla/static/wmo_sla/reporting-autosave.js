// SPDX-License-Identifier: EUPL-1.2
// Progressive enhancement of the report pages (templates/reporting/provider/*.html):
// - an error summary (#error-summary) takes the focus when the page loads;
// - autosave: ~20 s after a change, and when the tab is hidden, the form is posted to
//   data-autosave-url; the polite live region #autosave-status says "Opgeslagen om hh:mm".
//   On 401/403/409 or no connection it says so and keeps every field as typed (nothing is lost;
//   "Opslaan als concept" then keeps the input across a new login).
// - "Klacht toevoegen" / "Klacht N verwijderen" without a page load (the buttons also work
//   without JavaScript: they save the draft and reload).
(function () {
  "use strict";
  // An error summary takes the focus, so keyboard and screen reader users start there.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData) return;
  var url = form.getAttribute("data-autosave-url");
  var status = document.getElementById("autosave-status");
  var expected = document.getElementById("f-expected");
  var DELAY_MS = 20000;
  var dirty = false;
  var busy = false;
  var timer = null;
  var submitting = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function changed() {
    dirty = true;
    if (!timer) timer = window.setTimeout(save, DELAY_MS);
  }

  function save(keepalive) {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    if (!dirty || busy || submitting || !url) return;
    busy = true;
    dirty = false;
    var data = new FormData(form);
    data.delete("toevoegen");
    data.delete("verwijderen");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      keepalive: keepalive === true,
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            return { ok: response.ok, status: response.status, body: body };
          });
      })
      .then(function (result) {
        busy = false;
        if (result.ok && result.body.saved_at) {
          if (expected) expected.value = result.body.saved_at;
          say(result.body.label);
          return;
        }
        dirty = true; // keep trying on the next change; the fields stay as typed
        if (result.body && result.body.message) {
          say(result.body.message);
        } else if (result.status === 401 || result.status === 403 || result.status === 0) {
          say(
            "Uw sessie is verlopen; er is niet automatisch opgeslagen. Uw invoer staat nog in " +
              "het formulier. Klik op ‘Opslaan als concept’: u logt opnieuw in en krijgt uw " +
              "invoer terug."
          );
        } else {
          say("Automatisch opslaan is niet gelukt. Uw invoer staat nog in het formulier; klik op ‘Opslaan als concept’.");
        }
      })
      .catch(function () {
        busy = false;
        dirty = true;
        say("Automatisch opslaan is niet gelukt (geen verbinding). Uw invoer staat nog in het formulier.");
      });
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });

  // Complaints: add and remove rows in the page.
  var list = document.getElementById("complaints");
  var template = document.getElementById("complaint-template");
  var addButton = form.querySelector("[data-add-complaint]");
  if (!list || !template || !addButton || !template.content) return;

  function nextIndex() {
    var max = -1;
    list.querySelectorAll("[data-complaint]").forEach(function (row) {
      var n = parseInt(row.id.replace("klacht-", ""), 10);
      if (n > max) max = n;
    });
    return max + 1;
  }

  addButton.addEventListener("click", function (event) {
    event.preventDefault();
    var index = String(nextIndex());
    var html = template.innerHTML.split("__i__").join(index);
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    row.id = "klacht-" + index;
    var count = list.querySelectorAll("[data-complaint]").length + 1;
    var legend = row.querySelector("legend");
    if (legend) legend.textContent = "Klacht " + count;
    var remove = row.querySelector("[data-remove-complaint]");
    if (remove) {
      remove.value = index;
      remove.textContent = "Klacht " + count + " verwijderen";
    }
    list.appendChild(row);
    var none = document.getElementById("f-geen_klachten");
    if (none) none.checked = false;
    var first = row.querySelector("input, textarea");
    if (first) first.focus();
    say("Klacht " + count + " toegevoegd.");
    changed();
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-remove-complaint]");
    if (!button) return;
    event.preventDefault();
    var row = button.closest("[data-complaint]");
    var legend = row && row.querySelector("legend");
    if (row) row.remove();
    addButton.focus();
    say((legend ? legend.textContent : "Klacht") + " verwijderd.");
    changed();
  });
})();
