/* After a form comes back refused, take the keyboard and the screen reader to what went wrong:
   the form's error message, or else its first invalid field (its label and error are read with
   it). Without this the page reloaded with focus at the top, and the error of a form lower on a
   long page (the workbench's application page) was out of sight and unannounced.
   Loaded on every page as a static file (strict CSP: no inline script). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // A selector list matches in document order: whichever comes first on the page.
    var first = document.querySelector('main form [role="alert"], main [aria-invalid="true"]');
    if (!first) return;
    if (!first.matches("input, select, textarea, button")) first.setAttribute("tabindex", "-1");
    first.focus();
  });
})();
