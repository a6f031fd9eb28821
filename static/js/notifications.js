// Keeps the unread count in the header up to date over the person's own WebSocket.
// The count is right on every page without this file; it only saves a reload.
(function () {
  "use strict";
  var badge = document.querySelector("[data-unread-count]");
  if (!badge || !("WebSocket" in window)) {
    return;
  }
  var status = document.getElementById("unread-status");
  var shown = parseInt(badge.getAttribute("data-unread-count"), 10) || 0;
  var delay = 1000;
  var maxDelay = 30000;

  function label(count) {
    if (count === 1) {
      return badge.getAttribute("data-label-one");
    }
    return badge.getAttribute("data-label-other").replace("99999", String(count));
  }

  function show(count) {
    badge.textContent = label(count);
    badge.hidden = count === 0;
    badge.setAttribute("data-unread-count", String(count));
    if (status && count > shown) {
      status.textContent = label(count);  // announced by screen readers (role=status)
    }
    shown = count;
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.onopen = function () {
      delay = 1000;
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (typeof data.unread === "number") {
        show(data.unread);
      }
    };
    socket.onclose = function () {
      // Reconnect with exponential backoff and jitter; the server sends the count on connect.
      window.setTimeout(connect, delay + Math.random() * delay / 2);
      delay = Math.min(delay * 2, maxDelay);
    };
  }

  connect();
})();
