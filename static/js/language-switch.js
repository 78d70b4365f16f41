/* The language switch reloads the page in the other language: what the reader had typed in the
   page's forms would be lost. Before the switch posts, the values go into sessionStorage (this tab
   only), and the page in the new language puts them back into the same fields. Files cannot be
   carried over (a browser never lets a script fill a file input); the CSRF token stays the page's own. */
(function () {
  "use strict";

  var KEY = "grantdesk-language-switch";
  var SKIPPED = ["file", "submit", "button", "reset", "password"];

  function forms() {
    return Array.prototype.slice.call(document.querySelectorAll("main form, #content form")).filter(function (form) {
      return !form.classList.contains("gd-language");
    });
  }

  function checkable(field) {
    return field.type === "checkbox" || field.type === "radio";
  }

  function carried(field) {
    return field.name && field.name !== "csrfmiddlewaretoken" && SKIPPED.indexOf(field.type) === -1;
  }

  document.addEventListener("submit", function (event) {
    if (!event.target.classList.contains("gd-language")) return;
    var values = [];
    forms().forEach(function (form, index) {
      var seen = {};
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!carried(field) || field.type === "hidden") return;
        if (checkable(field)) {
          /* A box by what it stands for, not by its place: a row a colleague added meanwhile moves the rest. */
          values.push([index, field.name, field.value, field.checked, true]);
          return;
        }
        seen[field.name] = (seen[field.name] || 0) + 1;
        values.push([index, field.name, seen[field.name], field.value]);
      });
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ page: location.pathname + location.search, values: values }));
    } catch (error) {
      /* storage full or switched off: the switch still works, without the typed values */
    }
  });

  var stored;
  try {
    stored = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
  } catch (error) {
    stored = null;
  }
  if (!stored || stored.page !== location.pathname + location.search) return;
  var all = forms();
  /* The same form and field name; a checkbox or radio button with the same value, any other field the same
     occurrence of that name (the rows of a formset): the page in the other language has them in the same order. */
  stored.values.forEach(function (entry) {
    var form = all[entry[0]];
    if (!form) return;
    var fields = Array.prototype.filter.call(form.elements, function (field) {
      return field.name === entry[1] && carried(field) && field.type !== "hidden" && checkable(field) === !!entry[4];
    });
    var field = entry[4]
      ? fields.filter(function (box) { return box.value === entry[2]; })[0]
      : fields[entry[2] - 1];
    if (!field) return;
    if (entry[4]) {
      field.checked = entry[3];
    } else {
      field.value = entry[3];
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
