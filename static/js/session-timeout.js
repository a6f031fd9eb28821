// The warning before a signed-in session ends (WCAG 2.2.1, accounts/session_policy.py).
// The page knows how long its session had left when it was served; a while before the end it
// asks the server again (that question is not activity), because another tab may have been
// used meanwhile, and warns only if the end is really near. "Stay signed in" moves the idle
// limit on; the lifetime cannot be moved, so then the warning says when it comes. When the
// session has ended the page stays where it is, with what was typed in it.
(function () {
  "use strict";
  var box = document.getElementById("session-timeout");
  if (!box || !window.fetch) {
    return;
  }
  var warningSeconds = parseInt(box.getAttribute("data-warning-seconds"), 10) || 0;
  var statusUrl = box.getAttribute("data-status-url");
  var heading = document.getElementById("session-timeout-heading");
  var text = document.getElementById("session-timeout-text");
  var stayForm = box.querySelector("form");
  var signInLink = box.querySelector("[data-session-sign-in]");
  var closeButton = box.querySelector("[data-session-close]");
  var warningHeading = heading.textContent;
  var timer = null;
  var endsAt = 0; // Date.now() milliseconds, as last heard from the server
  var state = "quiet"; // "quiet", "warning", "ended"
  var dismissed = false; // the person closed the notice: not shown again until it changes
  var warnedExtendable = null;
  var endedOnce = false;
  var returnFocus = null;
  // Other tabs of this site: staying signed in in one hides the warning in the others at once
  // (without it they ask again within a minute, or when they are looked at).
  var tabs = "BroadcastChannel" in window ? new BroadcastChannel("session-timeout") : null;

  function wording(name) {
    return box.getAttribute("data-text-" + name) || "";
  }

  function minutesText(seconds) {
    var minutes = Math.max(1, Math.ceil(seconds / 60));
    if (minutes === 1) {
      return wording("idle-one");
    }
    return wording("idle-other").replace("99999", String(minutes));
  }

  function clockText(milliseconds) {
    var lang = document.documentElement.lang || undefined;
    return new Date(milliseconds).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }

  function later(seconds) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(0, seconds) * 1000);
  }

  // Focus goes to the notice's first action when it opens, and again when its content changed
  // under the focus (the button that had it is hidden now that the session has ended) or when
  // `urgent` (the session has just ended: whatever the person was about to send would fail).
  function open(urgent) {
    if (box.hidden) {
      returnFocus = document.activeElement;
      box.hidden = false;
    } else if (urgent) {
      // the notice was open: returnFocus still says where the person was before it
    } else if (box.contains(document.activeElement) && document.activeElement.offsetParent !== null) {
      return;
    } else if (document.activeElement !== document.body && !box.contains(document.activeElement)) {
      return; // the person has moved on to the page: leave the focus with them
    }
    var first = box.querySelector(".actions a:not([hidden]), .actions form:not([hidden]) button, [data-session-close]");
    (first || box).focus();
  }

  function close() {
    var hadFocus = box.contains(document.activeElement);
    box.hidden = true;
    if (hadFocus && returnFocus && document.body.contains(returnFocus)) {
      returnFocus.focus();
    } else if (hadFocus) {
      document.getElementById("main").focus();
    }
  }

  function showWarning(seconds, extendable) {
    if (state !== "warning" || warnedExtendable !== extendable) {
      dismissed = false;
    }
    state = "warning";
    warnedExtendable = extendable;
    heading.textContent = warningHeading;
    text.textContent = extendable ? minutesText(seconds) : wording("lifetime").replace("{time}", clockText(endsAt));
    stayForm.hidden = !extendable;
    signInLink.hidden = true;
    if (!dismissed) {
      open();
    }
    // Asked again each minute (the wording counts down, another tab may have stayed signed in)
    // and once more just after the end, when the server has ended the session.
    later(Math.min(seconds + 1, 60));
  }

  function showEnded() {
    window.clearTimeout(timer);
    var justEnded = state !== "ended";
    if (justEnded) {
      dismissed = false;
    }
    state = "ended";
    endedOnce = true;
    heading.textContent = wording("heading-ended");
    text.textContent = wording("ended");
    stayForm.hidden = true;
    signInLink.hidden = false;
    if (!dismissed) {
      open(justEnded);
    }
  }

  function answer(data) {
    if (!data || !data.signed_in || data.seconds <= 0) {
      showEnded();
      return;
    }
    endsAt = Date.now() + data.seconds * 1000;
    if (data.seconds > warningSeconds) {
      state = "quiet";
      warnedExtendable = null;
      dismissed = false;
      close();
      later(data.seconds - warningSeconds);
      return;
    }
    showWarning(data.seconds, data.extendable);
  }

  // Sent on to sign in means the session is over; an error or a network failure says nothing
  // about it, so ask again a little later.
  function heard(request) {
    return request
      .then(function (response) {
        if (response.redirected) {
          showEnded();
          return;
        }
        if (!response.ok) {
          later(30);
          return;
        }
        return response.json().then(answer);
      })
      .catch(function () {
        later(30);
      });
  }

  function check() {
    heard(fetch(statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" }));
  }

  stayForm.addEventListener("submit", function (event) {
    event.preventDefault();
    heard(
      fetch(stayForm.action, {
        method: "POST",
        body: new FormData(stayForm),
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
    ).then(function () {
      if (tabs && state === "quiet") {
        tabs.postMessage("stayed");
      }
    });
  });

  if (tabs) {
    tabs.addEventListener("message", check);
  }

  closeButton.addEventListener("click", function () {
    dismissed = true;
    close();
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      dismissed = true;
      close();
    }
  });

  // Timers sleep with the computer and in background tabs: coming back, ask if anything is due.
  function comeBack() {
    if (document.visibilityState === "visible" && (state !== "quiet" || Date.now() >= endsAt - warningSeconds * 1000)) {
      check();
    }
  }
  document.addEventListener("visibilitychange", comeBack);
  window.addEventListener("focus", comeBack);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      check(); // back from the browser's page cache, with its served time long out of date
    }
  });

  // Signing in again (in another tab) gives the browser a new CSRF token; a form on this page
  // still carries the old one and would be refused, with the text in it. Sent after the session
  // ended, a form takes the browser's current token (the cookie's secret is accepted as token).
  document.addEventListener(
    "submit",
    function (event) {
      if (!endedOnce) {
        return;
      }
      var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      if (!match) {
        return;
      }
      Array.prototype.forEach.call(event.target.querySelectorAll("input[name=csrfmiddlewaretoken]"), function (input) {
        input.value = decodeURIComponent(match[1]);
      });
    },
    true
  );
  var secondsLeft = parseInt(box.getAttribute("data-seconds-left"), 10) || 0;
  endsAt = Date.now() + secondsLeft * 1000;
  later(secondsLeft - warningSeconds);
})();
