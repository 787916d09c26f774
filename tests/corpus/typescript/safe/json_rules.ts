interface PricingRule {
  id: string;
  discountPercent: number;
}

export function loadRules(text: string): PricingRule[] {
  const rules = JSON.parse(text) as PricingRule[];
  return rules.filter((r) => r.discountPercent >= 0 && r.discountPercent <= 100);
}
