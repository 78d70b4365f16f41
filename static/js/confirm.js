/* Asks before an act that cannot be called back (a decision whose letters go out at once, a batch
   marked paid, a project started). Loaded on every page as a static file (strict CSP: no inline
   script); it acts only on forms, or submit buttons, with a data-confirm text, written by the
   template with the figures the user should check (amounts, numbers of letters, dates). */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
