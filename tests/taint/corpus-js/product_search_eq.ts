import express from "express";
import mongoose, { Schema } from "mongoose";

const Product = mongoose.model("Product", new Schema({ name: String, price: Number }));
const app = express();

app.get("/products/search", async (req, res) => {
  const raw = req.query.name;
  if (typeof raw !== "string") {
    res.status(400).json({ error: "name must be a single string" });
    return;
  }
  const products = await Product.find({ name: { $eq: raw } }).limit(20).lean();
  res.json(products);
});

mongoose.connect(process.env.MONGO_URL as string).then(() => app.listen(3000));
