const container = document.getElementById("toasts");

function showToast(html) {
  container.insertAdjacentHTML("beforeend", html);
  setTimeout(() => {
    if (container.firstElementChild) {
      container.firstElementChild.remove();
    }
  }, 4000);
}

window.addEventListener("message", (event) => {
  const payload = event.data || {};
  if (payload.type !== "toast") {
    return;
  }
  showToast(`<div class="toast toast-${payload.level}">${payload.text}</div>`);
});
