// Every page: the header menu collapses behind a button on narrow screens, and wide tables
// scroll inside a labelled, focusable box instead of the whole page (WCAG 1.4.10, 2.1.1).
// Without JavaScript the menu stays open and the tables scroll by CSS alone.
(function () {
  "use strict";

  var narrow = window.matchMedia("(max-width: 40rem)");
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.hidden = !open;
  }

  function fitMenu() {
    toggle.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  }

  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && narrow.matches) {
        setOpen(false);
        toggle.focus();
      }
    });
    narrow.addEventListener("change", fitMenu);
    fitMenu();
  }

  var main = document.getElementById("main");
  var boxes = [];

  function labelFor(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    return document.body.getAttribute("data-table-label") || "";
  }

  // Only a box that actually scrolls becomes a region in the tab order: the others stay quiet.
  function markScrolling() {
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", labelFor(box.firstElementChild));
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  if (main) {
    main.querySelectorAll("table").forEach(function (table) {
      var box = table.parentElement;
      if (!box.classList.contains("table-scroll")) {
        box = document.createElement("div");
        box.className = "table-scroll";
        table.parentNode.insertBefore(box, table);
        box.appendChild(table);
      }
      boxes.push(box);
    });
    document.documentElement.classList.add("js-tables");
    markScrolling();
    window.addEventListener("resize", markScrolling);
  }
})();
