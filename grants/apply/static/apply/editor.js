/* The application editor: add formset rows and keep the budget's live total.
   Loaded as a static file (strict CSP: no inline script, no inline handlers). The server
   computes the same figures again when the step is saved; this is only a preview. */
(function () {
  "use strict";

  function isDutch() {
    return (document.documentElement.lang || "nl").slice(0, 2) === "nl";
  }

  /* Cents of an amount typed the page's way; the same rules as grants.money.parse_euro:
     Dutch "1.500", "1.500,50", "1500.50"; English "1,500", "1,500.50". */
  function parseEuro(value) {
    var mark = isDutch() ? "," : ".";
    var thousands = isDutch() ? "." : ",";
    var text = String(value || "").replace(/[\s\u00a0\u202f€]/g, "").toUpperCase().replace(/^EUR/, "");
    if (!text) return 0;
    var whole = text;
    var fraction = "";
    var at = text.lastIndexOf(mark);
    if (at === -1 && new RegExp("^\\d+\\" + thousands + "\\d{1,2}$").test(text)) at = text.indexOf(thousands);
    if (at !== -1) {
      whole = text.slice(0, at);
      fraction = text.slice(at + 1);
      if (!/^\d{1,2}$/.test(fraction)) return NaN;
    }
    if (!new RegExp("^(\\d+|\\d{1,3}(\\" + thousands + "\\d{3})+)$").test(whole)) return NaN;
    return parseInt(whole.split(thousands).join(""), 10) * 100 + parseInt((fraction + "00").slice(0, 2), 10);
  }

  function formatEuro(cents) {
    var lang = isDutch() ? "nl" : "en";
    var sign = cents < 0 ? "-" : "";
    var abs = Math.abs(cents);
    var whole = Math.floor(abs / 100).toString();
    var fraction = ("0" + (abs % 100)).slice(-2);
    var sep = lang === "nl" ? "." : ",";
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    return lang === "nl" ? sign + "€ " + whole + "," + fraction : sign + "€" + whole + "." + fraction;
  }

  function initFormset(form) {
    var prefix = form.getAttribute("data-formset");
    var rows = form.querySelector("[data-rows]");
    var template = form.querySelector("template[data-empty-row]");
    var total = form.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var max = form.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    var addWrapper = form.querySelector("[data-add-row-wrapper]");
    var addButton = form.querySelector("[data-add-row]");
    if (!rows || !template || !total || !addButton) return;
    addWrapper.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) return;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      var number = row.querySelector("[data-row-number]");
      if (number) number.textContent = String(index + 1);
      rows.appendChild(row);
      total.value = String(index + 1);
      var first = row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      update(form);
    });
  }

  function update(form) {
    var totalOut = form.querySelector("[data-total]");
    if (!totalOut) return;
    var sum = 0;
    var valid = true;
    form.querySelectorAll("[data-row]").forEach(function (row) {
      var del = row.querySelector("input[type=checkbox][name$='-DELETE']");
      var amount = row.querySelector("input[data-budget-amount]");
      if (!amount || (del && del.checked)) return;
      var cents = parseEuro(amount.value);
      if (isNaN(cents)) { valid = false; return; }
      sum += cents;
    });
    var cofunding = parseEuro(form.getAttribute("data-cofunding"));
    var maximum = parseEuro(form.getAttribute("data-maximum"));
    var requested = Math.max(sum - cofunding, 0);
    totalOut.textContent = valid ? formatEuro(sum) : "—";
    var requestedOut = form.querySelector("[data-requested]");
    if (requestedOut) requestedOut.textContent = valid ? formatEuro(requested) : "—";
    var warning = form.querySelector("[data-over-maximum]");
    if (warning) warning.hidden = !(valid && requested > maximum);
  }

  document.querySelectorAll("form[data-formset]").forEach(function (form) {
    initFormset(form);
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
