// expect: js-eval
interface PricingRule {
  id: string;
  expression: string;
}

export function compileRule(rule: PricingRule): (price: number) => number {
  return new Function("price", `return ${rule.expression};`) as (price: number) => number;
}
