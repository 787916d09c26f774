// expect: js-inner-html
const params = new URLSearchParams(window.location.search);
const campaign = params.get("utm_campaign");

if (campaign) {
  document.write("<p class='banner'>Thanks for visiting from " + campaign + "!</p>");
}
