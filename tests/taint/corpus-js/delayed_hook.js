(function () {
  const params = new URLSearchParams(window.location.search);
  const callbackName = params.get("onready") || "noop";
  const delay = 250;

  window.noop = function () {};

  function announce() {
    const banner = document.getElementById("banner");
    if (banner) {
      banner.classList.add("visible");
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    announce();
    setTimeout(callbackName + "()", delay);
  });
})();
