// expect: js-inner-html
async function askAssistant(question) {
  const response = await fetch("/api/chat", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ question }),
  });
  const data = await response.json();
  const bubble = document.createElement("div");
  bubble.className = "assistant-message";
  bubble.innerHTML = marked.parse(data.answer);
  document.querySelector("#chat").appendChild(bubble);
}
