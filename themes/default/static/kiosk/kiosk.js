/* camnang kiosk: home with topics and search-as-you-type, guide view with step-by-step
   mode, print, read-aloud, text size, contrast, and the idle reset that clears everything.
   Works from file:// (data comes as <script> files), stores nothing (no storage, no
   cookies, no history entries), requests nothing but its own files. */
(function () {
  "use strict";
  var K = (window.Kiosk = {});
  var $ = function (id) { return document.getElementById(id); };
  var T = JSON.parse($("k-strings").textContent);
  var params = new URLSearchParams(location.search);
  var IDLE = Math.max(3, Number(params.get("idle")) || Number(document.body.dataset.idle) || 120);
  var WARN = Math.min(20, Math.max(2, Math.round(IDLE / 6)));
  var SIZES = [1, 1.2, 1.45, 1.7];

  var engine = null, data = null;
  var guides = Object.create(null); // slug → HTML (public content, never personal)
  var leaflets = Object.create(null); // slug → the guide's A4 leaflet document
  var waiting = Object.create(null);
  var stack = [];                   // views to go back to
  var view = "home";
  var size = 0;
  var lastActive = Date.now(), dirty = false;

  function fmt(s, o) { return String(s).replace(/\{(\w+)\}/g, function (_, k) { return o[k]; }); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* ---------- data ---------- */
  CamnangSearch.ready(function (d) {
    data = d;
    engine = new CamnangSearch.Engine(d);
    start();
  });
  K.put = function (slug, html, leaflet) {
    guides[slug] = html;
    leaflets[slug] = leaflet;
    settle(slug, html);
  };
  /* Guides come in files of GROUP guides in site order (guides/<n>.js, n = index / GROUP). */
  var GROUP = Number(document.body.dataset.group) || 16;
  var loading = {};
  function settle(slug, html) {
    var cbs = waiting[slug] || [];
    delete waiting[slug];
    cbs.forEach(function (cb) { cb(html); });
  }
  function loadGuide(slug, cb) {
    if (guides[slug]) return cb(guides[slug]);
    var i = docBySlug(slug);
    if (i < 0) return cb(null);
    if (waiting[slug]) return waiting[slug].push(cb);
    waiting[slug] = [cb];
    var n = Math.floor(i / GROUP);
    if (loading[n]) return;
    loading[n] = true;
    var s = document.createElement("script");
    s.src = "guides/" + n + ".js";
    // After the file ran (or failed), a guide of the group still waiting is missing.
    s.onload = s.onerror = function () {
      s.remove();
      delete loading[n];
      for (var j = n * GROUP; j < Math.min((n + 1) * GROUP, data.docs.length); j++) {
        var d = data.docs[j][0];
        if (waiting[d]) settle(d, guides[d] || null);
      }
    };
    document.head.appendChild(s);
  }
  function docBySlug(slug) {
    for (var i = 0; i < data.docs.length; i++) if (data.docs[i][0] === slug) return i;
    return -1;
  }

  /* ---------- views ---------- */
  function show(name, focus) {
    view = name;
    ["home", "cat", "guide"].forEach(function (v) { $("v-" + v).hidden = v !== name; });
    window.scrollTo(0, 0);
    if (focus) { var f = $(focus) || document.querySelector(focus); if (f) f.focus({ preventScroll: true }); }
  }
  function go(name, arg) {
    stack.push({ name: view, arg: currentArg });
    open(name, arg);
  }
  var currentArg = null;
  function open(name, arg) {
    currentArg = arg;
    stopReading();
    if (name === "home") { show("home"); }
    else if (name === "cat") { openCategory(arg); }
    else if (name === "guide") { openGuide(arg.slug, arg.step); }
  }
  function back() {
    var prev = stack.pop();
    if (!prev) return goHome();
    open(prev.name, prev.arg);
  }
  function goHome() { stack = []; setQuery(""); open("home"); }

  function resultItem(d, showCat) {
    var doc = data.docs[d];
    var li = el("li");
    var b = el("button", "k-result");
    b.type = "button";
    b.dataset.guide = doc[0];
    b.appendChild(el("span", "k-r-title", doc[1]));
    if (doc[2]) b.appendChild(el("span", "k-r-q", doc[2]));
    if (showCat) {
      var cat = document.querySelector('.k-tile[data-cat="' + catId(doc[4]) + '"] .k-tile-title');
      if (cat) b.appendChild(el("span", "k-r-cat", cat.textContent));
    }
    li.appendChild(b);
    return li;
  }
  var CATS = [];
  function catId(i) { return CATS[i]; }

  function openCategory(id) {
    var tile = document.querySelector('.k-tile[data-cat="' + id + '"]');
    $("k-h-cat").textContent = tile ? tile.querySelector(".k-tile-title").textContent : id;
    var list = $("k-cat-list");
    list.textContent = "";
    var ci = CATS.indexOf(id), frag = document.createDocumentFragment();
    for (var d = 0; d < data.docs.length; d++) if (data.docs[d][4] === ci) frag.appendChild(resultItem(d, false));
    list.appendChild(frag);
    show("cat", "k-h-cat");
  }

  function openGuide(slug, step) {
    $("k-guide").innerHTML = '<p class="k-loading">' + (T.kiosk_loading || "…") + "</p>";
    show("guide");
    loadGuide(slug, function (html) {
      if (view !== "guide" || currentArg.slug !== slug) return;
      if (html === null) { $("k-guide").innerHTML = '<p class="k-loading">' + T.kiosk_not_found + "</p>"; return; }
      $("k-guide").innerHTML = html;
      var art = $("k-guide").querySelector(".k-guide");
      setupRead(art);
      if (step) steps(art, step); else { var h = $("k-h-guide"); if (h) h.focus({ preventScroll: true }); }
    });
  }

  /* ---------- search ---------- */
  function setQuery(q) {
    $("k-q").value = q;
    runSearch();
  }
  function runSearch() {
    var q = $("k-q").value;
    var has = q.trim().length > 0;
    $("k-results").hidden = !has;
    $("k-topics").hidden = has;
    var list = $("k-list");
    list.textContent = "";
    if (!has || !engine) return;
    var res = engine.search(q, 30);
    $("k-count").textContent = res.length ? fmt(T.kiosk_results, { n: res.length }) : T.kiosk_no_results;
    var frag = document.createDocumentFragment();
    res.forEach(function (r) { frag.appendChild(resultItem(r.doc, true)); });
    list.appendChild(frag);
  }
  K.search = function (q) { return engine.search(q, 30).map(function (r) { return data.docs[r.doc][0]; }); };

  function keyPress(k) {
    var q = $("k-q");
    if (k === "backspace") q.value = Array.from(q.value).slice(0, -1).join("");
    else if (k === "clear") q.value = "";
    else q.value += k;
    runSearch();
  }

  /* ---------- step-by-step ---------- */
  function steps(art, n) {
    var items = art.querySelectorAll(".k-step");
    var total = items.length;
    if (!total) return;
    n = Math.max(1, Math.min(total, n));
    art.classList.add("stepping");
    art.dataset.step = n;
    art.querySelector(".k-stepbar").hidden = false;
    items.forEach(function (li, i) { li.classList.toggle("k-current", i === n - 1); });
    art.querySelector(".k-stepcount").textContent = fmt(T.kiosk_step_of, { n: n, total: total });
    var prev = art.querySelector(".k-prev"), next = art.querySelector(".k-next");
    prev.disabled = n === 1;
    next.firstChild.nodeValue = (n === total ? T.kiosk_finish : T.kiosk_next) + " ";
    currentArg.step = n;
    window.scrollTo(0, 0);
    stopReading();
  }
  function exitSteps(art) {
    art.classList.remove("stepping");
    delete art.dataset.step;
    art.querySelector(".k-stepbar").hidden = true;
    art.querySelectorAll(".k-step").forEach(function (li) { li.classList.remove("k-current"); });
    currentArg.step = 0;
    var b = art.querySelector(".k-start-steps");
    if (b) b.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  function stepBy(delta) {
    var art = document.querySelector("#k-guide .k-guide.stepping");
    if (!art) return false;
    var n = Number(art.dataset.step) + delta;
    var total = art.querySelectorAll(".k-step").length;
    if (n > total) exitSteps(art);
    else if (n >= 1) steps(art, n);
    return true;
  }

  /* ---------- read aloud (only with a Vietnamese voice) ---------- */
  var voice = null;
  function findVoice() {
    if (!("speechSynthesis" in window)) return;
    var vs = speechSynthesis.getVoices().filter(function (v) { return /^vi(\b|[-_])/i.test(v.lang); });
    voice = vs[0] || null;
    document.querySelectorAll(".k-read").forEach(function (b) { b.hidden = !voice; });
  }
  function setupRead(art) {
    var b = art && art.querySelector(".k-read");
    if (b) b.hidden = !voice;
  }
  function stopReading() {
    if ("speechSynthesis" in window) speechSynthesis.cancel();
    document.querySelectorAll(".k-read").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
      b.querySelector(".k-read-label").textContent = T.kiosk_read;
    });
  }
  function read(b) {
    if (!voice) return;
    if (b.getAttribute("aria-pressed") === "true") return stopReading();
    var art = b.closest(".k-guide");
    var cur = art.querySelector(".k-step.k-current");
    var text = cur ? cur.innerText : [art.querySelector(".k-ghead").innerText, art.querySelector(".k-steps").innerText].join("\n");
    speechSynthesis.cancel();
    var u = new SpeechSynthesisUtterance(text);
    u.voice = voice; u.lang = voice.lang; u.rate = 0.9;
    u.onend = stopReading;
    b.setAttribute("aria-pressed", "true");
    b.querySelector(".k-read-label").textContent = T.kiosk_stop;
    speechSynthesis.speak(u);
  }

  /* ---------- print the leaflet (not this page) ---------- */
  function printLeaflet(slug) {
    var old = $("k-print-frame");
    if (old) old.remove();
    if (!leaflets[slug]) return;
    var f = document.createElement("iframe");
    f.id = "k-print-frame";
    f.title = T.kiosk_print;
    f.setAttribute("aria-hidden", "true");
    f.tabIndex = -1;
    f.className = "k-print-frame";
    // The leaflet prints itself once loaded; its links resolve against this page.
    f.srcdoc = leaflets[slug];
    document.body.appendChild(f);
    $("k-status").textContent = T.kiosk_printing;
    setTimeout(function () { $("k-status").textContent = ""; }, 6000);
  }
  window.addEventListener("message", function (e) {
    if (e.data === "camnang-printed") { var f = $("k-print-frame"); if (f) f.remove(); }
  });

  /* ---------- text size, contrast ---------- */
  function setSize(i) {
    size = Math.max(0, Math.min(SIZES.length - 1, i));
    document.documentElement.style.fontSize = size ? SIZES[size] * 100 + "%" : "";
    $("k-smaller").disabled = size === 0;
    $("k-larger").disabled = size === SIZES.length - 1;
  }
  function setContrast(on) {
    document.body.classList.toggle("hc", on);
    $("k-contrast").setAttribute("aria-pressed", on ? "true" : "false");
  }

  /* ---------- idle reset ---------- */
  function reset() {
    stopReading();
    var f = $("k-print-frame");
    if (f) f.remove();
    $("k-guide").textContent = "";
    $("k-cat-list").textContent = "";
    $("k-status").textContent = "";
    stack = [];
    currentArg = null;
    setQuery("");
    setSize(0);
    setContrast(false);
    $("k-idle").hidden = true;
    show("home");
    document.querySelectorAll("input[type=checkbox]").forEach(function (c) { c.checked = false; });
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    try { history.replaceState(null, "", location.pathname + location.search); } catch (e) { /* file:// in old browsers */ }
    window.scrollTo(0, 0);
    document.querySelectorAll(".k-view, main").forEach(function (e) { e.scrollTop = 0; });
    dirty = false;
    document.body.dataset.resets = String(Number(document.body.dataset.resets || 0) + 1);
  }
  K.reset = reset;
  function active() {
    lastActive = Date.now();
    dirty = true;
    if (!$("k-idle").hidden) $("k-idle").hidden = true;
  }
  function tick() {
    if (!dirty) return;
    var left = IDLE * 1000 - (Date.now() - lastActive);
    if (left <= 0) return reset();
    var box = $("k-idle");
    if (left <= WARN * 1000) {
      var n = Math.ceil(left / 1000);
      $("k-idle-n").textContent = n;
      $("k-idle-body").textContent = fmt(T.kiosk_idle_body, { n: n });
      if (box.hidden) { box.hidden = false; $("k-idle-stay").focus({ preventScroll: true }); }
    }
  }

  /* ---------- wiring ---------- */
  function start() {
    CATS = [];
    document.querySelectorAll(".k-tile").forEach(function (t) { CATS.push(t.dataset.cat); });
    // Category order of the index is the site's order, including empty ones.
    if (data.cats) CATS = data.cats;
    document.addEventListener("click", function (e) {
      var t = e.target.closest("button, a");
      if (!t) return;
      if (t.dataset.key !== undefined) return keyPress(t.dataset.key);
      if (t.dataset.cat) return go("cat", t.dataset.cat);
      if (t.dataset.guide) { e.preventDefault(); return go("guide", { slug: t.dataset.guide, step: 0 }); }
      if (t.dataset.print) return printLeaflet(t.dataset.print);
      if (t.id === "k-home") return goHome();
      if (t.id === "k-smaller") return setSize(size - 1);
      if (t.id === "k-larger") return setSize(size + 1);
      if (t.id === "k-contrast") return setContrast(!document.body.classList.contains("hc"));
      if (t.id === "k-idle-stay") return active();
      if (t.classList.contains("k-back")) return back();
      var art = t.closest(".k-guide");
      if (!art) return;
      if (t.classList.contains("k-start-steps")) { steps(art, 1); art.querySelector(".k-next").focus({ preventScroll: true }); return; }
      if (t.classList.contains("k-next")) return stepBy(1);
      if (t.classList.contains("k-prev")) return stepBy(-1);
      if (t.classList.contains("k-exit-steps")) return exitSteps(art);
      if (t.classList.contains("k-read")) return read(t);
    });
    $("k-q").addEventListener("input", runSearch);
    document.addEventListener("keydown", function (e) {
      if (e.target && e.target.tagName === "INPUT" && e.target.type !== "checkbox") {
        if (e.key === "Enter") { var first = $("k-list").querySelector("button"); if (first) first.focus(); }
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if ((e.key === "ArrowRight" || e.key === "PageDown") && stepBy(1)) e.preventDefault();
      else if ((e.key === "ArrowLeft" || e.key === "PageUp") && stepBy(-1)) e.preventDefault();
      else if (e.key === "Escape" && view !== "home") { e.preventDefault(); back(); }
    });
    ["pointerdown", "touchstart", "keydown", "wheel", "input"].forEach(function (ev) {
      document.addEventListener(ev, active, { passive: true, capture: true });
    });
    setInterval(tick, 250);
    if ("speechSynthesis" in window) {
      findVoice();
      speechSynthesis.addEventListener("voiceschanged", findVoice);
    }
    setSize(0);
    // Start from a link such as index.html#g/dang-ky-khai-sinh/2 or #q/khai%20sinh.
    var h = decodeURIComponent(location.hash.slice(1));
    var m;
    if ((m = /^g\/([^/]+)(?:\/(\d+))?$/.exec(h))) go("guide", { slug: m[1], step: Number(m[2] || 0) });
    else if ((m = /^q\/(.*)$/.exec(h))) setQuery(m[1]);
    else if ((m = /^c\/(.+)$/.exec(h))) go("cat", m[1]);
    document.body.dataset.ready = "true";
  }
})();
