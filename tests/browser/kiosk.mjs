// Kiosk tests in headless Chromium: search, topics, step navigation by touch and keyboard,
// print, idle reset, read-aloud, requests, axe-core (WCAG 2.2 AA), touch targets, 200% zoom.
//
//   node tests/browser/kiosk.mjs <built site folder> [<built site of more than 33 guides>]
//
// Driven by tests/kiosk.rs. Prints one line per check; exits 1 if any failed.
import path from "node:path";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { runCases } from "./search-cases.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const site = path.resolve(process.argv[2] || "public");
const KIOSK = pathToFileURL(path.join(site, "kiosk", "index.html")).href;

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
const printed = [];
const errors = [];

async function newPage(viewport = { width: 1080, height: 1920 }) {
  const ctx = await browser.newContext({ viewport, hasTouch: true, locale: "vi-VN" });
  ctx.on("request", (r) => requests.push(r.url()));
  await ctx.exposeBinding("__camnangPrinted", (_src, info) => printed.push(info));
  // Record print() calls of every frame instead of opening the print dialog.
  await ctx.addInitScript(() => {
    window.print = () => window.__camnangPrinted({
      href: location.href, title: document.title, top: window === window.top,
      // The frame holds the print A4 leaflet (print::kiosk_leaflet), not a kiosk screen.
      leaflet: !document.querySelector(".k-bar, #k-main"),
    });
  });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  return page;
}
async function open(page, suffix = "") {
  await page.goto(KIOSK + suffix);
  await page.waitForSelector("body[data-ready=true]");
}
const results = (page) => page.$$eval("#k-list .k-result", (bs) => bs.map((b) => b.dataset.guide));
async function type(page, q) {
  await page.fill("#k-q", q);
  return results(page);
}
const stepCount = (page) => page.textContent("#k-guide .k-stepcount");
const visibleSteps = (page) => page.$$eval("#k-guide .k-step", (ls) => ls.filter((l) => l.offsetParent !== null).map((l) => l.dataset.n));

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

async function targets(page, what, min = 44) {
  const small = await page.evaluate((min) => {
    const out = [];
    for (const e of document.querySelectorAll("button, a[href], input, select, textarea, label")) {
      if (e.closest(".k-prose")) continue;             // links inside running text (WCAG 2.5.8 inline exception)
      if (e.matches("input[type=checkbox]")) continue; // the whole label is the target
      if (e.matches("label") && !e.querySelector("input")) continue;
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;    // not shown
      if (getComputedStyle(e).visibility === "hidden") continue;
      if (r.width < min || r.height < min) out.push({ el: e.outerHTML.slice(0, 80), w: Math.round(r.width), h: Math.round(r.height) });
    }
    return out;
  }, min);
  check(small.length === 0, `touch targets ≥ ${min}×${min} on ${what}`, small);
}

async function noHorizontalScroll(page, what) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  check(r.sw <= r.w + 1, `no horizontal scrolling on ${what}`, r);
}

try {
  // ---------- home, search ----------
  const page = await newPage();
  await open(page);
  check(await page.evaluate(() => document.documentElement.lang) === "vi", 'lang="vi"');
  check(await page.isVisible("#k-topics"), "home shows the topic tiles");
  const bodyPx = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  check(bodyPx >= 20, "body text ≥ 20 px", bodyPx);
  await axe(page, "the home page");
  await targets(page, "the home page", 64);

  await runCases((q) => type(page, q), check);
  await type(page, "zzzz");
  check((await page.textContent("#k-count")).includes("Chưa tìm thấy"), "no result: says so");

  // On-screen keyboard, by touch.
  await page.fill("#k-q", "");
  for (const k of ["b", "h", "y", "t"]) await page.tap(`.k-key[data-key="${k}"]`);
  check(await page.inputValue("#k-q") === "bhyt", "on-screen keyboard types letters");
  check((await results(page))[0] === "gia-han-bhyt-ho-gia-dinh", "on-screen keyboard search finds BHYT first");
  await page.tap('.k-key[data-key="backspace"]');
  check(await page.inputValue("#k-q") === "bhy", "backspace key deletes a letter");
  await page.tap('.k-key[data-key="clear"]');
  check(await page.inputValue("#k-q") === "" && await page.isVisible("#k-topics"), "clear key empties the search and shows the topics");

  await type(page, "khai sinh");
  await axe(page, "a search result page");
  await targets(page, "a search result page", 64);

  // ---------- guide, step-by-step by touch and keyboard ----------
  await page.tap('#k-list .k-result[data-guide="dang-ky-khai-sinh"]');
  await page.waitForSelector("#k-guide .k-guide");
  check(await page.textContent("#k-h-guide") === "Đăng ký khai sinh", "tapping a result opens the guide");
  check(await page.$$eval("#k-guide a[href]", (as) => as.every((a) => a.getAttribute("href").startsWith("#"))), "guide has no outbound links");
  check(await page.isVisible("#k-guide .k-qr svg"), "guide shows the portal QR code");
  await targets(page, "a guide", 64);
  const nSteps = await page.$$eval("#k-guide .k-step", (l) => l.length);
  await page.tap("#k-guide .k-start-steps");
  check(await stepCount(page) === `Bước 1/${nSteps}`, "step mode starts at Bước 1", await stepCount(page));
  check(JSON.stringify(await visibleSteps(page)) === '["1"]', "one step per screen", await visibleSteps(page));
  await page.tap("#k-guide .k-next");
  check(await stepCount(page) === `Bước 2/${nSteps}` && JSON.stringify(await visibleSteps(page)) === '["2"]', "tap Next → Bước 2");
  check(await page.isVisible("#k-guide .k-step.k-current .k-hl"), "step 2 shows its screenshot with the highlight");
  await page.tap("#k-guide .k-prev");
  check(await stepCount(page) === `Bước 1/${nSteps}`, "tap Back → Bước 1");
  check(await page.isDisabled("#k-guide .k-prev"), "Back is disabled on the first step");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  check(await stepCount(page) === `Bước 3/${nSteps}`, "→ → with the keyboard: Bước 3", await stepCount(page));
  await page.keyboard.press("ArrowLeft");
  check(await stepCount(page) === `Bước 2/${nSteps}`, "← with the keyboard: Bước 2");
  await page.focus("#k-guide .k-next");
  await page.keyboard.press("Enter");
  check(await stepCount(page) === `Bước 3/${nSteps}`, "Enter on the focused Next button: Bước 3");
  await page.keyboard.press("Tab");
  check(await page.evaluate(() => document.activeElement.classList.contains("k-exit-steps")), "Tab moves to the next control (visible focus order)");
  await axe(page, "a guide in step mode");
  await targets(page, "a guide in step mode", 64);
  check(await page.isHidden("#k-guide .k-read"), "read-aloud hidden without a Vietnamese voice",
    await page.evaluate(() => speechSynthesis.getVoices().map((v) => v.lang)));
  for (let i = 0; i < nSteps; i++) await page.keyboard.press("ArrowRight");
  check(!(await page.$eval("#k-guide .k-guide", (a) => a.classList.contains("stepping"))), "Next after the last step leaves step mode");

  // High contrast, text size.
  await page.tap("#k-contrast");
  check(await page.getAttribute("#k-contrast", "aria-pressed") === "true" && await page.$eval("body", (b) => b.classList.contains("hc")), "high-contrast toggle");
  await axe(page, "a guide in high contrast");
  await page.tap("#k-contrast");
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".k-lead")).fontSize));
  await page.tap("#k-larger");
  const after = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector(".k-lead")).fontSize));
  check(after > before * 1.1, "A+ makes the text larger", { before, after });
  await page.tap("#k-smaller");

  // ---------- print: the leaflet, not the kiosk page ----------
  printed.length = 0;
  await page.tap("#k-guide .k-print");
  for (let i = 0; i < 50 && !printed.length; i++) await page.waitForTimeout(100);
  const p = printed[0] || {};
  check(printed.length === 1 && !p.top && p.href === "about:srcdoc" && p.leaflet,
    "Print prints the guide's leaflet document (in a frame), not the kiosk page", printed);
  check((p.title || "").includes("Đăng ký khai sinh"), "the printed document is that guide's leaflet (title)", p.title);

  // Back to the results, then the topics.
  await page.tap("#v-guide .k-back");
  check(await page.isVisible("#k-list") && (await results(page))[0] === "dang-ky-khai-sinh", "Back returns to the search results");
  await page.tap("#k-home");
  await page.tap('.k-tile[data-cat="ho-tich"]');
  const hoTich = await page.$$eval("#k-cat-list .k-result", (bs) => bs.length);
  check(hoTich === 13, "the Hộ tịch tile lists its 13 guides", hoTich);

  // Nothing stored.
  const stored = await page.evaluate(() => ({ ls: localStorage.length, ss: sessionStorage.length, c: document.cookie }));
  check(stored.ls === 0 && stored.ss === 0 && stored.c === "", "nothing in localStorage, sessionStorage or cookies", stored);

  // Every guide opens and has no outbound link.
  const slugs = await page.evaluate(() => document.querySelectorAll(".k-tile").length);
  // The guides of the search index (the kiosk files hold 16 guides each).
  const indexJs = fs.readFileSync(path.join(site, "kiosk", "search-index.js"), "utf8").trim();
  const all = JSON.parse(indexJs.replace(/^CamnangSearch\.index\(/, "").replace(/\);$/, "")).docs.map((d) => d[0]);
  let bad = [];
  for (const s of all) {
    await open(page, `?i=${s}#g/${s}`);
    await page.waitForSelector("#k-guide .k-guide");
    const out = await page.$$eval("#k-guide a[href]", (as) => as.map((a) => a.getAttribute("href")).filter((h) => !h.startsWith("#")));
    const imgs = await page.$$eval("#k-guide img", (is) => is.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
    if (out.length || imgs.length) bad.push({ s, out, imgs });
  }
  check(slugs > 0 && bad.length === 0, `all ${all.length} guides open, images load, no outbound links`, bad);
  const before404 = errors.length;
  await open(page, "?i=missing#g/khong-co-huong-dan-nay");
  await page.waitForSelector("#k-guide .k-loading");
  await page.waitForFunction(() => !document.querySelector("#k-guide .k-loading").textContent.includes("…"));
  check((await page.textContent("#k-guide")).includes("Không mở được"), "a missing guide says so");
  errors.splice(before404); // a failed load would be the point of this check
  await page.context().close();

  // ---------- idle reset ----------
  const idle = await newPage();
  await open(idle, "?idle=4");
  await type(idle, "khai sinh");
  await idle.tap('#k-list .k-result[data-guide="dang-ky-khai-sinh"]');
  await idle.waitForSelector("#k-guide .k-guide");
  await idle.tap("#k-guide .k-checklist label");
  check(await idle.$$eval("#k-guide input[type=checkbox]:checked", (c) => c.length) === 1, "a document can be ticked");
  await idle.tap("#k-larger");
  await idle.tap("#k-contrast");
  await idle.mouse.wheel(0, 800);
  await idle.evaluate(() => window.scrollTo(0, 600));
  check(await idle.evaluate(() => window.scrollY) > 0, "page scrolled before the reset");
  await idle.waitForSelector("#k-idle:not([hidden])", { timeout: 6000 });
  const n = await idle.textContent("#k-idle-n");
  check(/^[12]$/.test(n) && (await idle.textContent("#k-idle-body")).includes("giây"), "visible countdown before the reset", n);
  // A touch during the countdown keeps everything.
  await idle.tap("#k-idle-stay");
  check(await idle.isHidden("#k-idle") && await idle.inputValue("#k-q") === "khai sinh" && await idle.isVisible("#v-guide"), "a touch during the countdown cancels the reset");
  await idle.evaluate(() => window.scrollTo(0, 600));
  await idle.waitForFunction(() => document.body.dataset.resets === "1", null, { timeout: 8000 });
  const st = await idle.evaluate(() => ({
    q: document.getElementById("k-q").value,
    home: !document.getElementById("v-home").hidden,
    guide: document.getElementById("v-guide").hidden,
    results: document.getElementById("k-results").hidden,
    topics: !document.getElementById("k-topics").hidden,
    ticks: document.querySelectorAll("input[type=checkbox]:checked").length,
    guides: document.querySelectorAll(".k-guide").length,
    scroll: window.scrollY,
    size: document.documentElement.style.fontSize,
    hc: document.body.classList.contains("hc"),
    overlay: document.getElementById("k-idle").hidden,
    hash: location.hash,
  }));
  check(st.q === "" && st.home && st.guide && st.results && st.topics, "idle reset returns home with an empty search", st);
  check(st.ticks === 0 && st.guides === 0, "idle reset clears the ticks (the guide is gone)", st);
  check(st.scroll === 0, "idle reset scrolls to the top", st);
  check(st.size === "" && !st.hc && st.overlay, "idle reset restores text size and contrast, hides the countdown", st);
  await idle.context().close();

  // ---------- 200% zoom (same CSS pixels as half the screen) and 320 px reflow ----------
  for (const vp of [{ width: 540, height: 960 }, { width: 960, height: 540 }, { width: 320, height: 640 }]) {
    const z = await newPage(vp);
    const what = `${vp.width}×${vp.height} CSS px`;
    await open(z);
    await noHorizontalScroll(z, `home at ${what}`);
    await type(z, "dang ky ket hon");
    await noHorizontalScroll(z, `search results at ${what}`);
    await z.tap('#k-list .k-result[data-guide="dang-ky-ket-hon"]');
    await z.waitForSelector("#k-guide .k-guide");
    await noHorizontalScroll(z, `a guide at ${what}`);
    await z.tap("#k-guide .k-start-steps");
    await z.tap("#k-guide .k-next");
    await noHorizontalScroll(z, `step mode at ${what}`);
    check(await z.isVisible("#k-guide .k-next") && await z.isVisible("#k-guide .k-prev"), `Back/Next visible at ${what}`);
    await z.context().close();
  }

  // ---------- requests ----------
  const notFile = requests.filter((u) => !u.startsWith("file://"));
  check(requests.length > 0 && notFile.length === 0, `all ${requests.length} requests are file://`, notFile);
  const outside = requests.filter((u) => u.startsWith("file://") && !u.startsWith(pathToFileURL(path.join(site, "kiosk")).href + "/"));
  check(outside.length === 0, "the kiosk loads nothing from outside its folder", outside);
  check(errors.length === 0, "no script errors", errors);

  // ---------- a larger site: guides come from the file of their group ----------
  const many = process.argv[3] && path.resolve(process.argv[3]);
  if (many) {
    const m = await newPage();
    const idx = fs.readFileSync(path.join(many, "kiosk", "search-index.js"), "utf8").trim();
    const docs = JSON.parse(idx.replace(/^CamnangSearch\.index\(/, "").replace(/\);$/, "")).docs;
    const kioskUrl = pathToFileURL(path.join(many, "kiosk", "index.html")).href;
    const group = 16, wrong = [];
    for (const i of [0, group - 1, group, 2 * group + 1, docs.length - 1]) {
      await m.goto(`${kioskUrl}?i=${i}#g/${docs[i][0]}`);
      await m.waitForSelector("#k-guide .k-guide");
      const h = await m.textContent("#k-guide h1");
      if (h.trim() !== docs[i][1]) wrong.push({ i, slug: docs[i][0], h });
    }
    const files = fs.readdirSync(path.join(many, "kiosk", "guides")).length;
    check(docs.length > 2 * group + 1 && files === Math.ceil(docs.length / group) && wrong.length === 0,
      `${docs.length} guides in ${files} kiosk files: guides of the first, second, third and last files open`, wrong);
    check(errors.length === 0, "no script errors (larger site)", errors);
  }
} catch (e) {
  console.log("FAIL " + (e && e.stack ? e.stack : e));
  failed++;
} finally {
  await browser.close();
}
console.log(failed ? `${failed} check(s) failed` : "all kiosk checks passed");
process.exit(failed ? 1 : 0);
