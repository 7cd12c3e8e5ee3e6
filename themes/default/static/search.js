/* camnang search, shared by the kiosk (kiosk/kiosk.js) and the site (site-search.js): the
   same folding and terms as src/vn.rs and src/render/search.rs (tests/search.rs checks both
   give the same on tricky strings), then a search over the index written by
   src/render/search.rs. The index is a script, kiosk/search-index.js, that calls
   CamnangSearch.index({…}) (a page opened from file:// cannot fetch JSON); a page asks for
   it with CamnangSearch.ready(callback). No network, no storage. Works in browsers and in
   node. */
(function (root) {
  "use strict";

  var MARK = /[\u0300-\u036f]/;

  /** Lower case, tone marks stripped, đ → d; NFC and NFD input give the same. */
  function fold(s) {
    var out = "";
    var chars = Array.from(String(s).normalize("NFD"));
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (MARK.test(c)) continue;
      if (c === "đ" || c === "Đ") { out += "d"; continue; }
      out += c.toLowerCase();
    }
    return out;
  }

  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var CONSONANTS = /^[b-df-hj-np-tv-xz]+$/;

  /** Search terms: folded, split on non-letters, final y after consonants → i. */
  function terms(s) {
    var ws = fold(s).match(WORD) || [];
    return ws.map(function (w) {
      if (w.length > 1 && w.charAt(w.length - 1) === "y" && CONSONANTS.test(w.slice(0, -1))) {
        return w.slice(0, -1) + "i";
      }
      return w;
    });
  }

  /** Edit distance ≤ 1 (one letter wrong, missing, extra, or two swapped). */
  function within1(a, b) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
    if (i === la && i === lb) return true;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) &&
        a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  var FIELD = [8, 3, 1];      // title, question/summary, body
  var EXACT = 1, PREFIX = 0.6, TYPO = 0.45;

  /** An index from src/search.rs, ready to search. */
  function Engine(data) {
    this.docs = data.docs;
    this.terms = data.terms;
    this.post = data.post;
    this.syn = (data.syn || []).map(function (g) {
      return g.map(function (p) { return p.split(" "); });
    });
  }

  /** Term ids matching one query term, with a weight each. */
  Engine.prototype.match = function (q, allowPrefix) {
    var t = this.terms, out = [];
    // Binary search for the first term ≥ q; exact and prefix matches follow it.
    var lo = 0, hi = t.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (t[mid] < q) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < t.length && t[i].lastIndexOf(q, 0) === 0; i++) {
      if (t[i] === q) out.push([i, EXACT]);
      else if (allowPrefix) out.push([i, PREFIX]);
    }
    if (q.length >= 5) {
      for (var j = 0; j < t.length; j++) {
        var w = t[j];
        if (w !== q && Math.abs(w.length - q.length) <= 1 && w.charCodeAt(0) === q.charCodeAt(0) && within1(w, q)) {
          if (!(w.lastIndexOf(q, 0) === 0 && allowPrefix)) out.push([j, TYPO]);
        }
      }
    }
    return out;
  };

  /** Per doc: best score of one query term, and whether it hit the title. */
  Engine.prototype.scoreTerm = function (q, allowPrefix) {
    var scores = new Map();
    var ms = this.match(q, allowPrefix);
    for (var k = 0; k < ms.length; k++) {
      var p = this.post[ms[k][0]], wt = ms[k][1], d = 0;
      for (var n = 0; n < p.length; n++) {
        var v = p[n], f = v % 3;
        d += (v - f) / 3;
        var s = FIELD[f] * wt;
        var old = scores.get(d);
        if (old === undefined || s > old) scores.set(d, s);
      }
    }
    return scores;
  };

  /** Query terms grouped into concepts: a synonym phrase found in the query becomes one
      concept whose alternatives are the phrases of its group. */
  Engine.prototype.concepts = function (qs) {
    var out = [], i = 0;
    while (i < qs.length) {
      var best = null, bestLen = 0;
      for (var g = 0; g < this.syn.length; g++) {
        var group = this.syn[g];
        for (var p = 0; p < group.length; p++) {
          var ph = group[p];
          if (ph.length > bestLen && i + ph.length <= qs.length) {
            var ok = true;
            for (var k = 0; k < ph.length; k++) if (qs[i + k] !== ph[k]) { ok = false; break; }
            if (ok) { best = group; bestLen = ph.length; }
          }
        }
      }
      if (best) {
        out.push({ alts: best, len: bestLen, last: i + bestLen === qs.length });
        i += bestLen;
      } else {
        out.push({ alts: [[qs[i]]], len: 1, last: i === qs.length - 1 });
        i += 1;
      }
    }
    return out;
  };

  /** Ranked results: [{doc, score}], best first, at most `limit`. `typing` = the last word
      may be unfinished. */
  Engine.prototype.search = function (query, limit, typing) {
    var qs = terms(query);
    if (!qs.length) return [];
    if (typing === undefined) typing = !/\s$/.test(query);
    var concepts = this.concepts(qs);
    var cache = new Map();
    var self = this;
    function termScores(t, prefix) {
      var key = t + (prefix ? "*" : "");
      if (!cache.has(key)) cache.set(key, self.scoreTerm(t, prefix));
      return cache.get(key);
    }
    var total = new Map(), hits = new Map(), titleHits = new Map();
    for (var c = 0; c < concepts.length; c++) {
      var con = concepts[c], best = new Map();
      for (var a = 0; a < con.alts.length; a++) {
        var alt = con.alts[a], acc = null;
        for (var k = 0; k < alt.length; k++) {
          // Every word may be the start of a longer one; short words only when typed last.
          var prefix = alt[k].length >= 3 || (con.last && k === alt.length - 1 && typing);
          var ts = termScores(alt[k], prefix);
          if (acc === null) {
            acc = new Map();
            ts.forEach(function (s, d) { acc.set(d, { s: s, title: s >= FIELD[0] * PREFIX ? 1 : 0 }); });
          } else {
            var next = new Map();
            acc.forEach(function (v, d) {
              var s = ts.get(d);
              if (s !== undefined) next.set(d, { s: v.s + s, title: v.title + (s >= FIELD[0] * PREFIX ? 1 : 0) });
            });
            acc = next;
          }
          if (!acc.size) break;
        }
        // A synonym counts as much as the words it stands for, however long it is.
        var norm = con.len / alt.length;
        if (acc) acc.forEach(function (v, d) {
          var o = best.get(d), s = v.s * norm;
          if (!o || s > o.s) best.set(d, { s: s, title: v.title * norm });
        });
      }
      best.forEach(function (v, d) {
        total.set(d, (total.get(d) || 0) + v.s);
        hits.set(d, (hits.get(d) || 0) + 1);
        titleHits.set(d, (titleHits.get(d) || 0) + v.title);
      });
    }
    var docs = this.docs, res = [];
    total.forEach(function (s, d) {
      var tl = docs[d][5] || 1;
      // Titles that the query covers well come first ("Đăng ký kết hôn" for "dang ky ket hon").
      var cover = Math.min(1, titleHits.get(d) / tl);
      res.push({ doc: d, hits: hits.get(d), score: s + 6 * cover });
    });
    res.sort(function (x, y) { return y.hits - x.hits || y.score - x.score || x.doc - y.doc; });
    // Documents matching every concept; if none does, the ones matching the most.
    if (res.length && res[0].hits < concepts.length) {
      var top = res[0].hits;
      res = res.filter(function (r) { return r.hits === top; });
    } else {
      res = res.filter(function (r) { return r.hits === concepts.length; });
    }
    return res.slice(0, limit || 50);
  };

  /* The index script calls index(data); ready(cb) calls cb(data) once it has. */
  var loaded = null, waiting = [];
  function index(data) {
    loaded = data;
    var w = waiting;
    waiting = [];
    w.forEach(function (cb) { cb(data); });
  }
  function ready(cb) {
    if (loaded) cb(loaded);
    else waiting.push(cb);
  }

  var api = { fold: fold, terms: terms, within1: within1, Engine: Engine, index: index, ready: ready };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.CamnangSearch = api;
})(this);
