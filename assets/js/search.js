// The search page: Pagefind's UI over the static index in pagefind/. The site's root is found from
// this script's own address (assets/js/search.js), so results link correctly under any path prefix.
// A query in the address (search/?q=bitcoin, as the form in every page's header sends) runs at once.
window.addEventListener("DOMContentLoaded", function () {
  var script = document.querySelector('script[src$="assets/js/search.js"]');
  var root = new URL("../../", script.src).pathname;
  var ui = new PagefindUI({ element: "#search", baseUrl: root, bundlePath: root + "pagefind/",
                            showImages: false, showSubResults: true, resetStyles: false });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
});
