document.addEventListener("DOMContentLoaded", function () {
  var preview = document.querySelector("#section-preview");
  if (!preview) {
    return;
  }

  function currentSection() {
    var raw = window.location.hash.slice(1);
    return decodeURIComponent(raw);
  }

  function render() {
    var title = currentSection();
    preview.innerHTML = "<h2>" + title + "</h2><p>Loading section\u2026</p>";
  }

  window.addEventListener("hashchange", render);
  render();
});
