// The website's search in headless Chromium, from file://: the index page's search box and
// the header search box of a guide page pass the kiosk's search cases (search-cases.mjs);
// results are links to the guides' pages; keyboard (Enter, ↓/↑, Tab, Escape), the live
// count, visible focus; axe-core (WCAG 2.2 AA) with results shown, on a phone and a
// desktop; ?q= on the index; without JavaScript the index lists every guide; the index
// file is loaded once and only when a box is used; a site without its kiosk folder says
// that it cannot search.
//
//   node tests/browser/site-search.mjs <built site> [<the same site built with --lang en>]
//
// Driven by tests/site_search.rs. Prints one line per check; exits 1 if any failed.
import path from "node:path";
import fs from "node:fs";
import os from "node:os";
import { pathToFileURL, fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { runCases } from "./search-cases.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const site = path.resolve(process.argv[2] || "public");
const english = process.argv[3] && path.resolve(process.argv[3]);
const url = (dir, rel) => pathToFileURL(path.join(dir, rel)).href;
const INDEX = url(site, "index.html");
const GUIDE = url(site, "guides/dang-ky-khai-sinh/index.html");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const indexJs = fs.readFileSync(path.join(site, "kiosk", "search-index.js"), "utf8").trim();
const DOCS = JSON.parse(indexJs.replace(/^CamnangSearch\.index\(/, "").replace(/\);$/, "")).docs;

let failed = 0;
function check(ok, what, detail) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}${!ok && detail !== undefined ? "\n     " + JSON.stringify(detail) : ""}`);
  if (!ok) failed++;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const requests = [];
const errors = [];

async function newPage(viewport = DESKTOP, opts = {}) {
  const ctx = await browser.newContext({ viewport, locale: "vi-VN", ...opts });
  ctx.on("request", (r) => requests.push(r.url()));
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  return page;
}

// The slugs of the results of box `id` (q on the index, site-q in a page's header).
const results = (page, id) => page.$$eval(`#${id}-list a`, (as) => as.map((a) => {
  const m = /\/guides\/([^/]+)\/index\.html$/.exec(a.href);
  return m ? m[1] : a.href;
}));
// Types `q` into box `id` and waits for the search code and the index to be loaded.
async function type(page, id, q) {
  await page.fill(`#${id}`, q);
  await page.waitForFunction((id) => {
    const f = document.getElementById(id).form;
    const s = document.getElementById(id + "-status").textContent;
    return s !== f.dataset.tLoading;
  }, id);
  return results(page, id);
}
const status = (page, id) => page.textContent(`#${id}-status`);
const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a.id || (a.matches("a") ? a.getAttribute("href") : a.tagName);
});
/* The focus after Enter, once it has moved to `want` (or after 3 s: what it is then). Enter
   pressed while the index is still loading goes to the first result when it is shown. */
async function activeAfterEnter(page, want) {
  for (let i = 0; i < 60; i++) {
    const now = await active(page);
    if (now === want) return now;
    await page.waitForTimeout(50);
  }
  return active(page);
}
const indexLoads = () => requests.filter((u) => u.endsWith("/kiosk/search-index.js")).length;

async function axe(page, what) {
  await page.evaluate(AXE);
  // preload: false, or axe fetches the stylesheets with XMLHttpRequest, which file:// refuses.
  const r = await page.evaluate(() => window.axe.run(document, {
    preload: false,
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
  }));
  check(r.violations.length === 0, `axe: 0 violations (WCAG 2.2 AA) on ${what}`,
    r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })));
}
async function noHorizontalScroll(page, what) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  check(r.sw <= r.w + 1, `no horizontal scrolling on ${what}`, r);
}
// The focused element shows a focus ring (outline or box-shadow).
const focusVisible = (page) => page.evaluate(() => {
  const s = getComputedStyle(document.activeElement);
  return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none";
});

try {
  // ---------- the index: the kiosk's cases ----------
  const page = await newPage();
  await page.goto(INDEX);
  check(await page.isVisible("form.search-main[role=search]"), "the index shows its search box (with JavaScript)");
  check(await page.$("#site-q") === null, "the index has one search box (none in its header)");
  check(await page.evaluate(() => document.querySelector("label[for=q]").textContent) === "Tìm thủ tục", "the box is labelled in Vietnamese");
  check(indexLoads() === 0, "the index file is not loaded before the box is used", indexLoads());
  await runCases((q) => type(page, "q", q), check, " (index)");
  check(indexLoads() === 1, "the index file is loaded once", indexLoads());
  check((await status(page, "q")).startsWith("Không tìm thấy") && await page.isVisible(".category-nav") && await page.isHidden("#q-list"),
    "no result: says so, and the topics are shown", await status(page, "q"));

  // Results are links to the guides' pages, each an index.html that exists.
  const r = await type(page, "q", "khai sinh");
  const hrefs = await page.$$eval("#q-list a", (as) => as.map((a) => [a.getAttribute("href"), a.href]));
  const bad = hrefs.filter(([rel, abs]) => !/^guides\/[^/]+\/index\.html$/.test(rel) || !abs.startsWith("file://") ||
    !fs.existsSync(fileURLToPath(abs)));
  check(hrefs.length === r.length && bad.length === 0, "results are relative links to guides/<slug>/index.html that exist", bad);
  const n = r.length;
  check(await status(page, "q") === `${n} kết quả`, `the live region says "${n} kết quả"`, await status(page, "q"));
  check(await page.getAttribute("#q-status", "role") === "status", "the count is in a live region (role=status)");
  check(await page.isHidden(".all-guides") && await page.isHidden(".category-nav"), "with results, the list of every guide is hidden");
  check(await page.evaluate(() => location.search) === "?q=khai%20sinh", "the address follows the query (?q=)",
    await page.evaluate(() => location.search));
  const one = DOCS.find((d) => d[0] === "kich-hoat-vneid-muc-2");
  await type(page, "q", "vneid");
  if ((await results(page, "q")).length === 1) check(await status(page, "q") === "1 kết quả", 'one result: "1 kết quả"');
  check(!!one, "the index names every guide of the test site");

  // ---------- keyboard ----------
  await page.fill("#q", "");
  await page.focus("#q");
  await page.keyboard.type("ket hon");
  const kh = await results(page, "q");
  check(kh[0] === "dang-ky-ket-hon", "typing with the keyboard searches as you type", kh);
  await page.keyboard.press("Enter");
  check(await active(page) === "guides/dang-ky-ket-hon/index.html", "Enter goes to the first result", await active(page));
  check(await focusVisible(page), "the focused result shows a focus ring");
  await page.keyboard.press("ArrowDown");
  check(await active(page) === `guides/${kh[1]}/index.html`, "↓ goes to the next result", await active(page));
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  check(await active(page) === "q", "↑ from the first result goes back to the box", await active(page));
  await page.keyboard.press("ArrowDown");
  check(await active(page) === "guides/dang-ky-ket-hon/index.html", "↓ from the box goes to the first result", await active(page));
  await page.focus("#q");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  check(await active(page) === "guides/dang-ky-ket-hon/index.html", "Tab reaches the results (after the Search button)", await active(page));
  await page.keyboard.press("Escape");
  check(await active(page) === "q" && await page.inputValue("#q") === "" && await page.isVisible(".all-guides") &&
    await page.isHidden("#q-list") && await status(page, "q") === "", "Escape clears the search and shows every guide again");
  check(await page.evaluate(() => location.search) === "", "a cleared search leaves no ?q= in the address");
  await page.keyboard.type("ket hon");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  await page.waitForURL(/dang-ky-ket-hon\/index\.html$/);
  check(await page.textContent("h1") === "Đăng ký kết hôn", "Enter on a result opens its guide");
  await page.goBack();
  await page.waitForSelector("#q-list a");
  check(await page.inputValue("#q") === "ket hon" && (await results(page, "q"))[0] === "dang-ky-ket-hon",
    "Back from the guide shows the same results");
  await page.context().close();

  // ---------- ?q= and axe, on a phone and a desktop ----------
  for (const [name, vp] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    const p = await newPage(vp);
    await p.goto(INDEX + "?q=" + encodeURIComponent("khai sinh"));
    await p.waitForSelector("#q-list a");
    check(await p.inputValue("#q") === "khai sinh" && (await results(p, "q"))[0] === "dang-ky-khai-sinh",
      `index.html?q=khai sinh shows the results (${name})`);
    await axe(p, `the index with results shown (${name} ${vp.width}×${vp.height})`);
    await noHorizontalScroll(p, `the index with results (${name})`);
    await p.focus("#q");
    await p.keyboard.press("Enter");
    check(await focusVisible(p), `visible focus on a result (${name})`);
    await p.context().close();
  }

  // ---------- a guide page's header ----------
  for (const [name, vp] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    const g = await newPage(vp);
    const loadsBefore = indexLoads();
    await g.goto(GUIDE);
    check(await g.isVisible("header form.search-header[role=search] #site-q"), `a guide page has the search box in its header (${name})`);
    if (name === "desktop") {
      check(indexLoads() === loadsBefore, "opening a guide page loads no index", indexLoads() - loadsBefore);
      await runCases((q) => type(g, "site-q", q), check, " (a guide page's header)");
      await type(g, "site-q", "khai sinh");
      const hrefs = await g.$$eval("#site-q-list a", (as) => as.map((a) => a.getAttribute("href")));
      check(hrefs.length > 0 && hrefs.every((h) => /^\.\.\/\.\.\/guides\/[^/]+\/index\.html$/.test(h)),
        "header results link to ../../guides/<slug>/index.html", hrefs);
    }
    const many = await type(g, "site-q", "dang ky");
    const total = Number(/^\d+/.exec(await status(g, "site-q")));
    check(many.length === Math.min(8, total), "the header shows up to 8 results", { shown: many.length, total });
    await axe(g, `a guide page with header results (${name})`);
    await noHorizontalScroll(g, `a guide page with header results (${name})`);
    if (name === "desktop") {
      if (total > 8) {
        const all = await g.getAttribute(".search-header .search-more a", "href");
        check(all === "../../index.html?q=dang%20ky", "more than 8: a link to all results on the index", all);
        await g.click(".search-header .search-more a");
        await g.waitForSelector("#q-list a");
        check((await results(g, "q")).length === total, "the index shows all of them");
        await g.goBack();
      }
      await g.fill("#site-q", "");
      await g.focus("#site-q");
      await g.keyboard.type("thuogn tru");
      await g.keyboard.press("Enter");
      const want = "../../guides/dang-ky-thuong-tru/index.html";
      const got = await activeAfterEnter(g, want);
      check(got === want, "header: Enter goes to the first result", got);
      await g.keyboard.press("Escape");
      check(await active(g) === "site-q" && await g.inputValue("#site-q") === "" && await g.isHidden("#site-q-list"),
        "header: Escape clears and hides the results");
      await g.keyboard.type("thuogn tru");
      await g.keyboard.press("Enter");
      await g.keyboard.press("Enter");
      await g.waitForURL(/dang-ky-thuong-tru\/index\.html$/);
      check(await g.textContent("h1") === "Đăng ký thường trú", "header: Enter on the result opens its guide from file://");
    }
    await g.context().close();
  }

  // ---------- without JavaScript ----------
  const nojs = await newPage(PHONE, { javaScriptEnabled: false });
  await nojs.goto(INDEX);
  const listed = await nojs.$$eval(".all-guides .guide-list a", (as) => as.filter((a) => a.offsetParent !== null)
    .map((a) => a.getAttribute("href")));
  const want = DOCS.map((d) => `guides/${d[0]}/index.html`).sort();
  check(JSON.stringify([...listed].sort()) === JSON.stringify(want), `without JavaScript the index lists every guide (${want.length})`,
    { listed: listed.length, want: want.length });
  check(await nojs.isHidden("form.search"), "without JavaScript no search box that cannot search");
  await nojs.goto(GUIDE);
  check(await nojs.isHidden("form.search") && await nojs.isVisible(".site-header .brand"),
    "without JavaScript a guide page's header has its link home, no search box");
  await nojs.context().close();

  // ---------- a site copied without its kiosk folder: the box says so ----------
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), "camnang-site-search-"));
  fs.cpSync(site, bare, { recursive: true, filter: (f) => !f.startsWith(path.join(site, "kiosk")) });
  const nokiosk = await newPage();
  await nokiosk.goto(url(bare, "index.html"));
  await nokiosk.fill("#q", "khai sinh");
  await nokiosk.waitForFunction(() => document.getElementById("q-status").textContent.includes("kiosk/search-index.js"));
  check(await nokiosk.isVisible(".all-guides"), "without kiosk/search-index.js the box says it cannot search, and every guide stays listed");
  await nokiosk.context().close();
  fs.rmSync(bare, { recursive: true, force: true });
  errors.splice(0, errors.length, ...errors.filter((e) => !e.includes("ERR_FILE_NOT_FOUND")));

  // ---------- English ----------
  if (english) {
    const en = await newPage();
    await en.goto(url(english, "index.html"));
    check(await en.textContent("label[for=q]") === "Search procedures", "English site: the box says Search procedures");
    const r = await type(en, "q", "khai sinh");
    check(r[0] === "dang-ky-khai-sinh" && await status(en, "q") === `${r.length} results`, "English site: the count says N results",
      await status(en, "q"));
    await type(en, "q", "zzzz");
    check((await status(en, "q")).startsWith("Nothing found"), "English site: no result says so in English");
    await en.context().close();
  }

  // ---------- requests ----------
  const notFile = requests.filter((u) => !u.startsWith("file://"));
  check(requests.length > 0 && notFile.length === 0, `all ${requests.length} requests are file://`, notFile);
  check(errors.length === 0, "no script errors", errors);
} catch (e) {
  console.log("FAIL " + (e && e.stack ? e.stack : e));
  failed++;
} finally {
  await browser.close();
}
console.log(failed ? `${failed} check(s) failed` : "all site search checks passed");
process.exit(failed ? 1 : 0);
