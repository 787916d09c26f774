// expect: js-redos-pattern
const SKU_PATTERN = /^([A-Z0-9]+-?)+$/;

export function isValidSku(sku: string): boolean {
  return SKU_PATTERN.test(sku);
}
