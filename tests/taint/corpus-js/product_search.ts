import express from "express";
import mongoose, { Schema } from "mongoose";

const Product = mongoose.model(
  "Product",
  new Schema({ name: String, price: Number, tags: [String] })
);

const app = express();

app.get("/products/search", async (req, res) => {
  const name = req.query.name as string;
  const products = await Product.find({ $where: `this.name == '${name}'` }).limit(20);
  res.json(products);
});

mongoose.connect(process.env.MONGO_URL as string).then(() => app.listen(3000));
