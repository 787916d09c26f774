export function renderComment(container: HTMLElement, body: string): void {
  const paragraph = document.createElement("p");
  paragraph.textContent = body;
  container.replaceChildren(paragraph);
}
