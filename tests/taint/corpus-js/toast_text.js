const container = document.getElementById("toasts");
const TRUSTED_ORIGIN = "https://app.example.com";
const LEVELS = ["info", "warning", "error"];

window.addEventListener("message", (event) => {
  if (event.origin !== TRUSTED_ORIGIN) {
    return;
  }
  const { level, text } = event.data || {};
  const toast = document.createElement("div");
  toast.className = "toast toast-" + (LEVELS.includes(level) ? level : "info");
  toast.appendChild(document.createTextNode(String(text)));
  container.appendChild(toast);
  setTimeout(() => toast.remove(), 4000);
});
