async function askAssistant(question) {
  const response = await fetch("/api/chat", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ question }),
  });
  const data = await response.json();
  const bubble = document.createElement("div");
  bubble.className = "assistant-message";
  bubble.textContent = data.answer;
  document.querySelector("#chat").appendChild(bubble);
  document.querySelector("#spinner").innerHTML = "";
}
