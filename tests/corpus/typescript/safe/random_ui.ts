const COLORS = ["#e11d48", "#2563eb", "#16a34a", "#ca8a04"];

export function avatarColor(): string {
  return COLORS[Math.floor(Math.random() * COLORS.length)];
}

export function retryDelay(attempt: number): number {
  const tokenBucketDelay = 100 * 2 ** attempt;
  return tokenBucketDelay + Math.random() * 50;
}
