/* camnang site search: the search box of the index page and of every page's header
   (templates/macros.html, `search`; without JavaScript a <noscript> style hides them).
   When a box is first used it loads, with <script> elements (so it works from file://),
   the search code shared with the kiosk (assets/search.js) and the kiosk's index
   (kiosk/search-index.js): one copy of each, never inlined into the pages. Results are
   links to the guides' pages. Keyboard: Enter (or the button) goes to the first result,
   ↓/↑ move between the results and back to the box, Escape clears. The count is said by
   the box's live region. On the index, ?q=… starts a search, and the address follows the
   query. Stores nothing, requests nothing but the site's own files. */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.search[data-root]");
  if (!forms.length) return;
  var root = forms[0].getAttribute("data-root");

  /* ---------- loading the search code and the index, once ---------- */
  var state = "idle", engine = null, docs = null, onReady = [];
  function script(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.onload = function () { done(true); };
    s.onerror = function () { done(false); };
    document.head.appendChild(s);
  }
  function failed() {
    state = "failed";
    flush();
  }
  function flush() {
    var cbs = onReady;
    onReady = [];
    cbs.forEach(function (cb) { cb(); });
  }
  function load(cb) {
    if (state === "ready" || state === "failed") return cb && cb();
    if (cb) onReady.push(cb);
    if (state === "loading") return;
    state = "loading";
    script(root + "assets/search.js", function (ok) {
      if (!ok || !window.CamnangSearch) return failed();
      window.CamnangSearch.ready(function (data) {
        docs = data.docs;
        engine = new window.CamnangSearch.Engine(data);
        state = "ready";
        flush();
      });
      script(root + "kiosk/search-index.js", function (ok2) {
        if (!ok2 || state !== "ready") failed();
      });
    });
  }

  function fmt(s, n) { return String(s).replace("{n}", n); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /* ---------- one search box ---------- */
  function Box(form) {
    this.form = form;
    this.main = form.getAttribute("data-main") === "true";
    this.limit = Number(form.getAttribute("data-limit")) || 50;
    this.input = form.querySelector("input[type=search]");
    this.status = form.querySelector(".search-status");
    this.panel = form.querySelector(".search-results");
    this.list = this.panel.querySelector("ul");
    this.more = this.panel.querySelector(".search-more");
    this.shown = "";
    this.t = function (k) { return form.getAttribute("data-t-" + k) || ""; };
    var self = this;
    this.input.addEventListener("focus", function () { load(); });
    this.input.addEventListener("input", function () { self.run(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      self.run();
      /* Enter pressed while the index is still loading (typed quickly, on a slow
         machine): to the first result once it is shown, unless the reader has moved on. */
      var q = self.input.value;
      load(function () {
        if (document.activeElement === self.input && self.input.value === q) self.first();
      });
    });
    form.addEventListener("keydown", function (e) { self.key(e); });
  }

  Box.prototype.links = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll("a"));
  };
  /* Enter, the button: to the first result (with none, stay in the box). */
  Box.prototype.first = function () {
    var a = this.links()[0];
    if (a) a.focus();
    else this.input.focus();
  };
  Box.prototype.clear = function () {
    this.input.value = "";
    this.run();
    this.input.focus();
  };
  Box.prototype.key = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var links = this.links();
    var at = links.indexOf(document.activeElement);
    var inBox = document.activeElement === this.input;
    if (e.key === "Escape" && (inBox || at >= 0)) {
      if (!this.input.value && inBox) return;
      e.preventDefault();
      this.clear();
    } else if (e.key === "ArrowDown" && (inBox || at >= 0)) {
      if (!links.length) return;
      e.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (e.key === "ArrowUp" && at >= 0) {
      e.preventDefault();
      if (at === 0) this.input.focus();
      else links[at - 1].focus();
    }
  };

  Box.prototype.say = function (text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  /* Searches for the box's text and shows the results. */
  Box.prototype.run = function () {
    var self = this, q = this.input.value;
    if (this.main) remember(q);
    if (!q.trim()) return this.show(null, q);
    if (state !== "ready") {
      if (state === "failed") return this.say(this.t("failed"));
      this.say(this.t("loading"));
      return load(function () { if (self.input.value === q) self.run(); });
    }
    this.show(engine.search(q, docs.length), q);
  };

  Box.prototype.show = function (res, q) {
    if (q === this.shown && res) return;
    this.shown = res ? q : "";
    this.list.textContent = "";
    this.more.textContent = "";
    var has = !!(res && res.length);
    this.panel.hidden = !has;
    // The index: while there is a query, its list of every guide is hidden (at thousands
    // of guides, showing it again takes a second); its topics too, unless nothing matched.
    if (this.main) {
      document.body.classList.toggle("searching", !!res);
      document.body.classList.toggle("found", has);
    }
    if (!res) return this.say("");
    var n = res.length;
    this.say(n === 0 ? this.t("none") : n === 1 ? this.t("one") : fmt(this.t("results"), n));
    var frag = document.createDocumentFragment();
    for (var i = 0; i < Math.min(n, this.limit); i++) frag.appendChild(this.item(docs[res[i].doc]));
    this.list.appendChild(frag);
    if (n > this.limit) {
      if (this.main) this.more.textContent = fmt(this.t("more"), n - this.limit);
      else {
        var all = el("a", null, fmt(this.t("all"), n));
        all.href = root + "index.html?q=" + encodeURIComponent(q.trim());
        this.more.appendChild(all);
      }
    }
  };

  /* A result: [slug, title, question, summary, …] of the index → a link to its page. */
  Box.prototype.item = function (doc) {
    var li = el("li"), a = el("a");
    a.href = root + "guides/" + doc[0] + "/index.html";
    a.appendChild(el("span", "g-title", doc[1]));
    if (doc[2]) a.appendChild(el("span", "g-question", doc[2]));
    li.appendChild(a);
    if (this.main && doc[3]) li.appendChild(el("p", "g-summary", doc[3]));
    return li;
  };

  /* The index's address follows its query (index.html?q=…), so Back from a guide and a
     copied link come back to the same results. */
  function remember(q) {
    var want = q.trim() ? "?q=" + encodeURIComponent(q.trim()) : "";
    if (location.search === want) return;
    try { history.replaceState(null, "", location.pathname + want + location.hash); } catch (e) { /* some file:// pages */ }
  }

  var boxes = [];
  for (var i = 0; i < forms.length; i++) boxes.push(new Box(forms[i]));
  boxes.forEach(function (b) {
    var q = b.main && new URLSearchParams(location.search).get("q");
    if (q) b.input.value = q;
    // Typed before this script ran, or ?q= on the index.
    if (b.input.value) b.run();
  });
  // Back to a page kept in memory: its box may hold text the results do not show.
  window.addEventListener("pageshow", function () {
    boxes.forEach(function (b) { if (b.input.value !== b.shown) b.run(); });
  });
})();
