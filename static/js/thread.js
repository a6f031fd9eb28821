/* Live discussion (templates/discussions/thread_detail.html). The page works without this file:
 * it adds live messages over /ws/threads/<id>/ and sends the same form with fetch.
 * Protocol: discussions/consumers.py. */
(function () {
  "use strict";

  var root = document.getElementById("thread");
  if (!root) return;

  var list = document.getElementById("messages");
  var announcer = document.getElementById("live-announcer");
  var liveState = document.getElementById("live-state");
  var form = document.getElementById("composer-form");
  var formError = document.getElementById("composer-error");
  var lockArea = document.getElementById("lock-area");
  var actionsTemplate = document.getElementById("message-actions-template");
  var composerLinks = document.querySelectorAll("[data-composer-link]"); // "Write a message"
  var me = root.dataset.user;
  var canModerate = root.dataset.canModerate === "true";
  var lastId = parseInt(root.dataset.lastId, 10) || 0;
  var revision = parseInt(root.dataset.revision, 10) || 0;

  var PING_EVERY = 20000; // ms between our pings
  var PONG_WITHIN = 10000; // a pong must come back within this, or the socket is dead
  var socket = null;
  var retries = 0;
  var stopped = false;
  var pingTimer = null;
  var pongTimer = null;
  var reconnectTimer = null;
  var pingCount = 0;
  var unread = false; // messages from others arrived that the server has not heard were seen
  var readTimer = null;

  function text(name, values) {
    var template = root.dataset["text" + name] || "";
    Object.keys(values || {}).forEach(function (key) {
      template = template.replace("{" + key + "}", values[key]);
    });
    return template;
  }

  function announce(message) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = message; }, 50);
  }

  function showState(message) {
    liveState.textContent = message;
    liveState.hidden = !message;
  }

  function fromHtml(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.firstElementChild;
  }

  function addActions(item) {
    if (item.querySelector(".message-actions") || !actionsTemplate) return;
    var mine = item.dataset.author === me;
    var hidden = item.classList.contains("is-hidden");
    var own = Boolean(form) && mine && !hidden && Date.parse(item.dataset.editableUntil) > Date.now();
    var reportable = !mine && !hidden;
    if (!own && !canModerate && !reportable) return;
    var actions = actionsTemplate.content.firstElementChild.cloneNode(true);
    actions.querySelectorAll("a").forEach(function (link) {
      link.href = link.getAttribute("href").replace("/0/", "/" + item.dataset.id + "/");
      if (link.dataset.action === "edit" && !own) link.remove();
      if (link.dataset.action === "report" && !reportable) link.remove();
    });
    item.appendChild(actions);
  }

  /* Put a message where it belongs by id; replace an older copy; never show one twice. */
  function upsert(html, options) {
    var item = fromHtml(html);
    if (!item) return;
    var id = parseInt(item.dataset.id, 10);
    var existing = document.getElementById(item.id);
    if (existing) {
      if (parseInt(existing.dataset.revision, 10) > parseInt(item.dataset.revision, 10)) return;
      existing.replaceWith(item);
    } else {
      var before = null;
      for (var node = list.lastElementChild; node; node = node.previousElementSibling) {
        if (parseInt(node.dataset.id, 10) < id) break;
        before = node;
      }
      list.insertBefore(item, before);
      var empty = document.getElementById("no-messages");
      if (empty) empty.remove();
      if (options.announce && item.dataset.author !== me) {
        item.classList.add("is-new");
        var author = item.querySelector(".message-author");
        announce(text("New", { name: author ? author.textContent : "" }));
        markRead();
      }
    }
    addActions(item);
    lastId = Math.max(lastId, id);
    revision = Math.max(revision, parseInt(item.dataset.revision, 10) || 0);
  }

  function setLocked(locked, html) {
    lockArea.innerHTML = locked && html ? html : "";
    if (!form) return;
    form.hidden = locked;
    composerLinks.forEach(function (link) { link.hidden = locked; });
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /* Messages read here are not also left unread in the notification centre and the digest:
   * once the page is visible, say so (at most once a second). A hidden tab says so when the
   * reader comes back to it. */
  function markRead() {
    unread = true;
    if (readTimer || document.visibilityState !== "visible") return;
    readTimer = window.setTimeout(function () {
      readTimer = null;
      if (unread && document.visibilityState === "visible" && send({ type: "read" })) unread = false;
    }, 1000);
  }

  function hello() {
    send({ type: "hello", last_id: lastId, revision: revision });
  }

  var handlers = {
    "message": function (frame) { upsert(frame.html, { announce: frame.id > lastId }); },
    "message.posted": function (frame) { upsert(frame.html, { announce: true }); },
    "message.edited": function (frame) { upsert(frame.html, { announce: false }); },
    "message.hidden": function (frame) { upsert(frame.html, { announce: false }); },
    "message.restored": function (frame) { upsert(frame.html, { announce: false }); },
    "thread.locked": function (frame) { setLocked(true, frame.html); },
    "thread.unlocked": function () { setLocked(false); },
    "caught-up": function (frame) {
      revision = Math.max(revision, frame.revision);
      setLocked(frame.locked, frame.html);
      retries = 0;
      showState(text("Live"));
    },
    "reload": function () { showState(text("Reload")); },
    "presence": function (frame) {
      var box = document.getElementById("presence");
      var words = frame.people.join(", ");
      if (frame.others) words += (words ? "; " : "") + text("Others", { count: frame.others });
      document.getElementById("presence-text").textContent = text("Here") + " " + words;
      box.hidden = false;
    },
    "ping": function (frame) {
      send({ type: "pong" });
      if (frame.revision > revision) hello(); // a broadcast did not reach us: catch up
    },
    "pong": function () { window.clearTimeout(pongTimer); },
    "access.revoked": function () { stop(text("Revoked")); },
    "error": function (frame) { if (window.console) console.warn("thread socket:", frame.code, frame.message); }
  };

  function heartbeat() {
    window.clearInterval(pingTimer);
    pingTimer = window.setInterval(function () {
      pingCount += 1;
      send({ type: "ping", id: pingCount });
      window.clearTimeout(pongTimer);
      pongTimer = window.setTimeout(function () {
        if (socket) socket.close(); // looks open, is not: start over
      }, PONG_WITHIN);
    }, PING_EVERY);
  }

  function stop(message) {
    stopped = true;
    showState(message);
    if (socket) socket.close();
  }

  function scheduleReconnect() {
    if (stopped || reconnectTimer) return;
    var delay = Math.min(30000, 1000 * Math.pow(2, retries)) * (0.5 + Math.random() / 2);
    retries += 1;
    reconnectTimer = window.setTimeout(function () {
      reconnectTimer = null;
      connect();
    }, delay);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var current = new WebSocket(scheme + window.location.host + root.dataset.socketPath);
    socket = current;
    current.onopen = function () {
      hello();
      heartbeat();
      if (unread) markRead(); // seen while the socket was down
    };
    current.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      var handler = handlers[frame.type];
      if (handler) handler(frame);
    };
    current.onclose = function (event) {
      if (socket !== current) return;
      window.clearInterval(pingTimer);
      window.clearTimeout(pongTimer);
      socket = null;
      if (event.code === 4401 || event.code === 4403) {
        stop(text("Revoked"));
        return;
      }
      if (!stopped) showState(text("Offline"));
      scheduleReconnect();
    };
  }

  /* The error is tied to the message box (aria-invalid, aria-describedby) and read out by the
   * live region around it (#composer-error-live), as the page does after a send without this file. */
  function describeField(field, invalid) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (id) {
      return id && id !== formError.id;
    });
    if (invalid) {
      ids.push(formError.id);
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
    field.setAttribute("aria-describedby", ids.join(" "));
  }

  function showFormError(field, message) {
    formError.textContent = "";
    var paragraph = document.createElement("p");
    paragraph.textContent = message;
    formError.appendChild(paragraph);
    formError.hidden = false;
    describeField(field, true);
  }

  function clearFormError(field) {
    formError.hidden = true;
    formError.textContent = "";
    describeField(field, false);
  }

  function enhanceForm() {
    if (!form) return;
    var field = form.querySelector("textarea");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (data.redirect) {
            window.location.assign(data.redirect); // the server kept the text for the page
            return;
          }
          if (response.ok && data.html) {
            upsert(data.html, { announce: false });
            field.value = ""; // sent: only now is the typed text let go
            clearFormError(field);
          } else {
            showFormError(field, data.error || text("Unsent"));
          }
        });
      }).catch(function () {
        showFormError(field, text("Unsent"));
      }).then(function () {
        button.disabled = false;
        field.focus();
      });
    });
  }

  /* Mentions: typing "@" and the beginning of a name in the message box lists (at most ten of)
   * the people one may mention here, from the server (threads:mention-search), as a listbox tied
   * to the box: aria-controls and aria-activedescendant, the up and down arrows move, Enter puts
   * "@Name " in the text, Escape closes; a status line says how many were found. Without this
   * file "@" and the name typed in full work the same. */
  var MENTION_TYPED = /(?:^|[^\p{L}\p{N}_@])@([^@\n]{1,40})$/u;

  function enhanceMentions() {
    var field = form && form.querySelector("textarea");
    var options = document.getElementById("mention-options");
    var status = document.getElementById("mention-status");
    if (!field || !options || !status || !root.dataset.mentionUrl) return;
    var found = [];
    var active = -1;
    var typed = null; // {start, end} of "@query" in the text while the list is open
    var asked = 0;
    var timer = null;

    field.setAttribute("aria-autocomplete", "list");
    field.setAttribute("aria-controls", options.id);

    function close() {
      window.clearTimeout(timer);
      asked += 1; // an answer still on its way is not shown
      found = [];
      active = -1;
      typed = null;
      options.hidden = true;
      options.textContent = "";
      field.removeAttribute("aria-activedescendant");
    }

    function choose(index) {
      var person = found[index];
      if (!person || !typed) return;
      var insert = "@" + person.name + " ";
      field.value = field.value.slice(0, typed.start) + insert + field.value.slice(typed.end);
      var caret = typed.start + insert.length;
      field.setSelectionRange(caret, caret);
      close();
      field.focus();
    }

    function activate(index) {
      active = index;
      Array.prototype.forEach.call(options.children, function (option, n) {
        option.setAttribute("aria-selected", n === index ? "true" : "false");
      });
      if (index < 0) {
        field.removeAttribute("aria-activedescendant");
      } else {
        field.setAttribute("aria-activedescendant", options.children[index].id);
        options.children[index].scrollIntoView({ block: "nearest" });
      }
    }

    function show(people) {
      found = people;
      options.textContent = "";
      people.forEach(function (person, n) {
        var option = document.createElement("li");
        option.id = "mention-option-" + n;
        option.setAttribute("role", "option");
        option.textContent = person.name;
        if (person.organisations.length) {
          var where = document.createElement("span");
          where.className = "muted";
          where.textContent = " (" + person.organisations.join(", ") + ")";
          option.appendChild(where);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the message box
          choose(n);
        });
        options.appendChild(option);
      });
      options.hidden = !people.length;
      activate(people.length ? 0 : -1);
      status.textContent = people.length ? text("MentionFound", { count: people.length }) : text("MentionNone");
    }

    function lookUp() {
      var before = field.value.slice(0, field.selectionEnd);
      var match = field.selectionStart === field.selectionEnd && MENTION_TYPED.exec(before);
      if (!match || !match[1].trim()) {
        close();
        return;
      }
      var query = match[1];
      var where = { start: before.length - query.length - 1, end: before.length };
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var ask = ++asked;
        fetch(root.dataset.mentionUrl + "?q=" + encodeURIComponent(query.trim()), {
          headers: { "Accept": "application/json" },
          credentials: "same-origin"
        }).then(function (response) {
          return response.ok ? response.json() : { people: [] };
        }).then(function (data) {
          if (ask !== asked) return; // the person typed on meanwhile
          typed = where;
          show(data.people || []);
        }).catch(function () { /* no suggestions: the name can still be typed in full */ });
      }, 150);
    }

    field.addEventListener("input", lookUp);
    field.addEventListener("blur", close);
    field.addEventListener("keydown", function (event) {
      if (options.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        activate((active + step + found.length) % found.length);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    if (form) form.addEventListener("submit", close);
  }

  enhanceMentions();
  if (root.dataset.live !== "true") return; // an older page of the history: nothing arrives here
  Array.prototype.forEach.call(list.children, addActions);
  enhanceForm();
  document.addEventListener("visibilitychange", function () {
    if (unread) markRead();
  });
  window.addEventListener("online", function () {
    if (!socket && !stopped) {
      window.clearTimeout(reconnectTimer);
      reconnectTimer = null;
      connect();
    }
  });
  connect();
})();
