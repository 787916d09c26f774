document.addEventListener("DOMContentLoaded", () => {
  const heading = document.querySelector("#section-title");
  const hint = document.querySelector("#section-hint");
  if (!heading || !hint) {
    return;
  }

  const render = () => {
    const title = decodeURIComponent(window.location.hash.slice(1));
    heading.textContent = title;
    hint.innerHTML = "<em>Scroll down to read this section</em>";
  };

  window.addEventListener("hashchange", render);
  render();
});
