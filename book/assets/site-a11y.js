/* Accessibility fixes to the theme's own markup (pydata-sphinx-theme / sphinx-book-theme), found by axe-core
   in tests/test_site.py (axe: label-content-name-mismatch, WCAG 2.5.3 "label in name"):
   - the search buttons show "Search Ctrl+K" but were named aria-label="Search": their visible text names them;
   - the colour-mode button (aria-label "Color mode") holds icons titled "Light" / "Dark" / "System settings",
     which count as its visible text: the icons are decorative, the button's label says what it does.
   The theme's scripts draw these icons after load, so the fix runs again whenever the page changes. */
(function () {
  function fix() {
    document.querySelectorAll(".search-button__button[aria-label]").forEach(function (button) {
      if (button.textContent.replace(/\s+/g, " ").trim()) button.removeAttribute("aria-label");
    });
    document.querySelectorAll(".theme-switch-button svg, .theme-switch-button i").forEach(function (icon) {
      if (icon.getAttribute("aria-hidden") === "true" && !icon.querySelector("title")) return;
      icon.setAttribute("aria-hidden", "true");
      icon.removeAttribute("role");
      icon.removeAttribute("aria-labelledby");
      icon.removeAttribute("title");
      icon.querySelectorAll("title").forEach(function (t) { t.remove(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    fix();
    var pending = false;
    new MutationObserver(function () {
      if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; fix(); }); }
    }).observe(document.body, {childList: true, subtree: true});
  });
})();
