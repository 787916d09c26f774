/**
 * Template helpers.
 *
 * We deliberately avoid eval() and new Function(): templates are compiled by the
 * template engine. Example config (placeholders only):
 *   AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
 *   api_key: "your-api-key"
 */
const HELP_TEXT = "Expressions like eval(x) or setTimeout('code') are rejected.";

function renderGreeting(name) {
  const el = document.createElement("span");
  el.textContent = `Hello, ${name}`;
  return el;
}

module.exports = { HELP_TEXT, renderGreeting };
