// outreach dashboard: the CRM board's moves. A card is moved by dragging it
// onto another column, by the arrow keys while it has the focus, or by its
// own form (which works without this script: this one only saves the page
// reload). Every way posts /board/move; the card moves at once and goes
// back, with the server's reason in #flash, if the move is refused.
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board) return;
  var csrf = document.body.dataset.csrf || "";
  var flash = document.getElementById("flash");

  function columns() { return Array.prototype.slice.call(board.querySelectorAll("section.column")); }
  function targets() { return columns().filter(function (c) { return c.dataset.target === "true"; }); }
  function columnOf(el) { return el.closest("section.column"); }
  function label(col) { return col.querySelector("h2 .label").textContent; }

  function say(text, isError) {
    if (!flash) return;
    var p = document.createElement("p");
    p.className = isError ? "flash error" : "flash";
    if (isError) p.setAttribute("role", "alert");
    p.textContent = text;
    flash.replaceChildren(p);
  }

  // recount writes each column's number of cards, and shows "No
  // conversations." in the empty ones.
  function recount() {
    columns().forEach(function (col) {
      var n = col.querySelectorAll("li.card").length;
      col.querySelector("h2 .count").textContent = n + (col.dataset.full === "true" ? "+" : "");
      col.querySelector(".empty").hidden = n > 0;
    });
  }

  // insert puts card into col's list in its place: newest message first.
  function insert(col, card) {
    var list = col.querySelector("ul.cards-list");
    var last = Number(card.dataset.last);
    var before = Array.prototype.find.call(list.children, function (c) {
      return c !== card && Number(c.dataset.last) < last;
    });
    list.insertBefore(card, before || null);
  }

  // place shows the conversation id under tag, and returns how to undo it:
  // the card leaves the column of its old tag for the new one; its copy in
  // Unread, if any, stays there (the conversation is still unread).
  function place(id, tag) {
    var moves = [];
    var cards = board.querySelectorAll('li.card[data-conversation-id="' + CSS.escape(id) + '"]');
    var target = board.querySelector('section.column[data-tag="' + CSS.escape(tag) + '"]');
    var moved = null;
    cards.forEach(function (card) {
      var from = columnOf(card);
      moves.push({ card: card, tag: card.dataset.tag, from: from, next: card.nextSibling });
      card.dataset.tag = tag;
      card.querySelector("select[name=tag]").value = tag;
      if (from.dataset.tag !== "unread") {
        insert(target, card);
        moved = card;
      }
    });
    if (!moved && cards.length > 0) {
      // Only in Unread so far: a copy joins the new column.
      moved = cards[0].cloneNode(true);
      var select = moved.querySelector("select[name=tag]");
      select.id = "move-" + tag + "-" + id;
      moved.querySelector("label").htmlFor = select.id;
      select.value = tag;
      insert(target, moved);
      moves.push({ added: moved });
    }
    recount();
    return {
      card: moved,
      undo: function () {
        moves.reverse().forEach(function (m) {
          if (m.added) { m.added.remove(); return; }
          m.card.dataset.tag = m.tag;
          m.card.querySelector("select[name=tag]").value = m.tag;
          m.from.querySelector("ul.cards-list").insertBefore(m.card, m.next && m.next.parentNode ? m.next : null);
        });
        recount();
      },
    };
  }

  // move posts the move of conversation id to tag, and shows it.
  function move(id, tag, focus) {
    var target = board.querySelector('section.column[data-tag="' + CSS.escape(tag) + '"]');
    if (!target || target.dataset.target !== "true") return;
    var shown = place(id, tag);
    if (shown.card) {
      shown.card.classList.add("moving");
      if (focus) shown.card.focus();
    }
    var body = new URLSearchParams({ conversation_id: id, tag: tag });
    fetch("/board/move", {
      method: "POST",
      headers: { "X-CSRF-Token": csrf, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      credentials: "same-origin",
    }).then(function (resp) {
      if (resp.ok) {
        if (shown.card) shown.card.classList.remove("moving");
        say("Moved to " + label(target) + ".", false);
        return;
      }
      var to = resp.headers.get("HX-Redirect");
      if (to && to.charAt(0) === "/") { window.location.assign(to); return; }
      return resp.text().then(function (text) { fail(shown, text, resp.status); });
    }).catch(function () {
      fail(shown, "", 0);
    });
  }

  function fail(shown, text, status) {
    if (shown.card) shown.card.classList.remove("moving");
    shown.undo();
    var why = new DOMParser().parseFromString(text || "", "text/html").body.textContent.trim();
    say("The card was not moved: " + (why || (status ? "the server answered " + status : "the server could not be reached")), true);
  }

  // Drag and drop.
  var dragged = null;
  board.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest("li.card");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.dataset.conversationId);
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    columns().forEach(function (c) { c.classList.remove("drop-here"); });
  });
  board.addEventListener("dragover", function (e) {
    var col = columnOf(e.target);
    if (!dragged || !col || col.dataset.target !== "true") return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    columns().forEach(function (c) { c.classList.toggle("drop-here", c === col); });
  });
  board.addEventListener("drop", function (e) {
    var col = columnOf(e.target);
    if (!dragged || !col || col.dataset.target !== "true") return;
    e.preventDefault();
    var card = dragged;
    col.classList.remove("drop-here");
    if (card.dataset.tag === col.dataset.tag) return;
    move(card.dataset.conversationId, col.dataset.tag, false);
  });

  // The card's form, without a page reload.
  board.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList.contains("move")) return;
    var card = form.closest("li.card");
    var tag = form.elements.tag.value;
    e.preventDefault();
    if (!tag) return;
    if (tag === card.dataset.tag && columnOf(card).dataset.tag === tag) return;
    move(card.dataset.conversationId, tag, true);
  });

  // Arrow keys on a focused card: the next column to the left or right.
  board.addEventListener("keydown", function (e) {
    var card = e.target;
    if (!card.matches || !card.matches("li.card") || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
    var cols = targets();
    var i = cols.indexOf(columnOf(card));
    var j = i < 0 ? (e.key === "ArrowRight" ? 0 : -1) : i + (e.key === "ArrowRight" ? 1 : -1);
    if (j < 0 || j >= cols.length) return;
    e.preventDefault();
    move(card.dataset.conversationId, cols[j].dataset.tag, true);
  });
})();
