const express = require("express");

const app = express();
app.use(express.json());

const defaults = { theme: "light", notifications: { email: true, sms: false } };
const userSettings = {};

function merge(target, source) {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (!target[key] || typeof target[key] !== "object") {
        target[key] = {};
      }
      merge(target[key], value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

app.put("/users/:id/settings", (req, res) => {
  const current = userSettings[req.params.id] || merge({}, defaults);
  userSettings[req.params.id] = merge(current, req.body);
  res.json(userSettings[req.params.id]);
});

app.listen(3000);
