/* Idle-timeout warning. The server decides when a session ends. This script
   only requests the time left, shows the warning before the end, and lets
   the user keep the session alive. Loaded from a file because the
   Content-Security-Policy forbids inline scripts. */
(function () {
  "use strict";

  var body = document.body;
  var statusUrl = body.getAttribute("data-session-status");
  if (!statusUrl) {
    return;
  }
  var keepAliveUrl = body.getAttribute("data-session-keep-alive");
  var signInUrl = body.getAttribute("data-sign-in");
  var warnSeconds = parseInt(body.getAttribute("data-session-warning"), 10);
  var banner = document.getElementById("idle-warning");
  var countdown = document.getElementById("idle-countdown");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var timer = null;

  function schedule(secondsLeft) {
    window.clearTimeout(timer);
    banner.hidden = true;
    if (secondsLeft <= warnSeconds) {
      warn(secondsLeft);
      return;
    }
    timer = window.setTimeout(check, (secondsLeft - warnSeconds) * 1000);
  }

  function handle(status) {
    if (!status.signed_in) {
      var here = window.location.pathname + window.location.search;
      window.location.assign(signInUrl + "?next=" + encodeURIComponent(here));
    } else if (status.seconds_left !== null) {
      schedule(status.seconds_left);
    }
  }

  function request(url, method) {
    var headers = { Accept: "application/json" };
    if (method === "POST") {
      headers["X-CSRFToken"] = token;
    }
    return window
      .fetch(url, { method: method, credentials: "same-origin", headers: headers })
      .then(function (response) { return response.json(); })
      .then(handle);
  }

  function check() {
    request(statusUrl, "GET");
  }

  function warn(secondsLeft) {
    banner.hidden = false;
    var deadline = Date.now() + secondsLeft * 1000;
    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var seconds = String(left % 60);
      countdown.textContent = Math.floor(left / 60) + ":" + (seconds.length < 2 ? "0" : "") + seconds;
      if (left <= 0) {
        check();
        return;
      }
      timer = window.setTimeout(tick, 1000);
    }
    tick();
  }

  document.getElementById("idle-continue").addEventListener("click", function () {
    request(keepAliveUrl, "POST");
  });
  schedule(parseInt(body.getAttribute("data-session-seconds-left"), 10));
})();
