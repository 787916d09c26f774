const express = require("express");

const app = express();
const WEATHER_API = "https://api.weather.example.com/v2/current";

app.get("/weather", async (req, res) => {
  const city = String(req.query.city || "Berlin");
  const units = req.query.units === "imperial" ? "imperial" : "metric";
  const url = `${WEATHER_API}?city=${encodeURIComponent(city)}&units=${units}`;

  const response = await fetch(url, {
    headers: { Authorization: `Bearer ${process.env.WEATHER_TOKEN}` },
  });
  if (!response.ok) {
    return res.status(502).json({ error: "weather service unavailable" });
  }
  res.json(await response.json());
});

app.listen(3000);
