// expect: js-inner-html
import { marked } from "marked";

export function renderComment(container: HTMLElement, body: string): void {
  const html = marked.parse(body) as string;
  container.innerHTML = html;
}
