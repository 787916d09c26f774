const SKU_PATTERN = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
const EMAIL_PATTERN = new RegExp("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", "i");

export function isValidSku(sku: string): boolean {
  return SKU_PATTERN.test(sku);
}

export function isEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}
