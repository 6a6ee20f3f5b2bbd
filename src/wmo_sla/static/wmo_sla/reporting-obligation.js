// SPDX-License-Identifier: EUPL-1.2
// Obligation form: show only the fields of the chosen due rule. Without JavaScript both
// fieldsets stay visible (each with its own legend) and the server ignores the other one.
(function () {
  "use strict";
  var select = document.getElementById("id_due_rule");
  if (!select) return;
  var sets = document.querySelectorAll("fieldset[data-due-rule]");
  function update() {
    sets.forEach(function (set) {
      var other = set.getAttribute("data-due-rule") !== select.value;
      set.hidden = other;
      // Utrecht's fieldset style ("all: revert") overrides [hidden]; hide it explicitly.
      set.style.display = other ? "none" : "";
    });
  }
  select.addEventListener("change", update);
  update();
})();
