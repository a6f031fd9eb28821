/* After a failed submit the error summary (templates/core/_error_summary.html) is first in
 * <main>; this moves focus to it, so a screen reader reads it and Tab goes on to its links.
 * A link in it focuses its field and shows the field's label too. Without this file the
 * summary is still the first thing in the main content. */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    var fieldset = field.closest("fieldset");
    var label = fieldset ? fieldset.querySelector("legend") : document.querySelector("label[for='" + field.id + "']");
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
