const params = new URLSearchParams(window.location.search);
const query = params.get("q") ?? "";
const page = Number(params.get("page") ?? "1");

function bannerMarkup(q: string, p: number): string {
  return '<div class="banner">Results for <b>' + q + "</b> (page " + p + ")</div>";
}

function trackSearch(q: string): void {
  const beacon = new Image();
  beacon.src = "/analytics/search?len=" + q.length;
}

if (query.length > 0) {
  document.write(bannerMarkup(query, page));
  trackSearch(query);
} else {
  document.write('<div class="banner">Type something to search</div>');
}
