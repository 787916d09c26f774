const express = require("express");

const app = express();
app.use(express.json());

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const userSettings = new Map();

function mergeInto(target, source) {
  for (const key of Object.keys(source)) {
    if (FORBIDDEN_KEYS.has(key)) {
      continue;
    }
    const value = source[key];
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const child = Object.prototype.hasOwnProperty.call(target, key) ? target[key] : {};
      target[key] = mergeInto(child, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

app.put("/users/:id/settings", (req, res) => {
  const current = userSettings.get(req.params.id) || { theme: "light" };
  userSettings.set(req.params.id, mergeInto(current, req.body));
  res.json(userSettings.get(req.params.id));
});

app.listen(3000);
