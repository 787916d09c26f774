(function () {
  var params = new URLSearchParams(window.location.search);
  var destination = params.get("continue");
  var seconds = 3;
  var counter = document.getElementById("countdown");

  var timer = setInterval(function () {
    seconds -= 1;
    if (counter) {
      counter.textContent = String(seconds);
    }
    if (seconds <= 0) {
      clearInterval(timer);
      window.location.href = destination || "/";
    }
  }, 1000);
})();
