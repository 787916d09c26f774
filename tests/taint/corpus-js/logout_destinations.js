const express = require("express");

const app = express();

const DESTINATIONS = {
  home: "/",
  login: "/login",
  goodbye: "/pages/goodbye",
};

app.get("/logout", (req, res) => {
  res.clearCookie("sid");
  const key = req.query.then;
  const location = Object.hasOwn(DESTINATIONS, key) ? DESTINATIONS[key] : DESTINATIONS.home;
  res.redirect(location);
});

app.listen(3000);
