/* A search field above a long list of checkboxes (grants/widgets.py, SearchableCheckboxes).
   Loaded on every page as a static file (strict CSP: no inline script); it acts only on lists of
   inputs marked data-search with at least MINIMUM options. Ticked options always stay visible. */
(function () {
  "use strict";

  var MINIMUM = 8;

  function plain(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(inputs) {
    var first = inputs[0];
    var list = document.getElementById(first.id.replace(/_\d+$/, ""));
    if (!list) return;
    var items = inputs.map(function (input) {
      var label = input.closest("label");
      return { input: input, row: (label && label.parentElement !== list ? label.parentElement : label) || input, text: plain(label ? label.textContent : input.value) };
    });

    var search = document.createElement("input");
    search.type = "search";
    search.className = "utrecht-textbox utrecht-textbox--html-input gd-checkbox-search";
    search.setAttribute("aria-label", first.dataset.search);
    search.setAttribute("aria-controls", list.id);
    search.placeholder = first.dataset.search;
    search.autocomplete = "off";
    var count = document.createElement("p");
    count.className = "utrecht-paragraph utrecht-paragraph--small gd-checkbox-search__count";
    count.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(search, list);
    list.parentNode.insertBefore(count, list);

    function apply() {
      var words = plain(search.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        var match = item.input.checked || words.every(function (word) { return item.text.indexOf(word) !== -1; });
        item.row.hidden = !match;
        if (match) shown += 1;
      });
      count.textContent = words.length ? first.dataset.searchCount.replace("{shown}", shown).replace("{total}", items.length) : "";
    }

    search.addEventListener("input", apply);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // a search field, not the form's submit
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var groups = {};
    document.querySelectorAll('input[type="checkbox"][data-search]').forEach(function (input) {
      (groups[input.name] = groups[input.name] || []).push(input);
    });
    Object.keys(groups).forEach(function (name) {
      if (groups[name].length >= MINIMUM) enhance(groups[name]);
    });
  });
})();
