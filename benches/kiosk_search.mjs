// Benchmark: kiosk search from keystroke to results on screen, in headless Chromium, on a
// synthetic site of 5,000 guides (camnang::corpus). Not a test: it prints numbers.
//
//   cargo build --release
//   node benches/kiosk_search.mjs [N=5000]
//
// Needs `npm ci --prefix tests/browser` (playwright-core) and /usr/bin/chromium. Builds the
// corpus with `cargo run --release --example gen_corpus` and the site with target/release/camnang.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(repo, "tests/browser/package.json"));
const { chromium } = require("playwright-core");
const n = Number(process.argv[2] || 5000);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "camnang-kiosk-bench-"));
const content = path.join(tmp, "content"), out = path.join(tmp, "out");
execFileSync("cargo", ["run", "-q", "--release", "--example", "gen_corpus", "--", content, String(n)], { cwd: repo, stdio: "inherit" });
let t = process.hrtime.bigint();
execFileSync(path.join(repo, "target/release/camnang"), ["build", "-q", content, "-o", out], { stdio: "inherit" });
const buildMs = Number(process.hrtime.bigint() - t) / 1e6;
const indexBytes = fs.statSync(path.join(out, "kiosk/search-index.js")).size;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
t = process.hrtime.bigint();
await page.goto(pathToFileURL(path.join(out, "kiosk/index.html")).href);
await page.waitForSelector("body[data-ready=true]");
const loadMs = Number(process.hrtime.bigint() - t) / 1e6;

// Each keystroke of these queries, typed one letter at a time: time from the input event to
// the results being in the DOM and laid out (getBoundingClientRect forces layout).
const queries = ["khai sinh", "dang ky ket hon", "bhyt", "giay khai sinh", "bao hiem y te", "thuogn tru",
  "can cuoc", "chung thuc ban sao", "ho kinh doanh", "xac nhan tinh trang hon nhan"];
const times = await page.evaluate((queries) => {
  const q = document.getElementById("k-q");
  const out = [];
  for (const query of queries) {
    for (let i = 1; i <= query.length; i++) {
      q.value = query.slice(0, i);
      const t0 = performance.now();
      q.dispatchEvent(new Event("input", { bubbles: true }));
      document.getElementById("k-list").getBoundingClientRect();
      out.push(performance.now() - t0);
    }
    q.value = "";
    q.dispatchEvent(new Event("input", { bubbles: true }));
  }
  return out;
}, queries);
// The engine alone (no DOM).
const engine = await page.evaluate((queries) => {
  const out = [];
  for (const query of queries) for (let i = 1; i <= query.length; i++) {
    const t0 = performance.now();
    Kiosk.search(query.slice(0, i));
    out.push(performance.now() - t0);
  }
  return out;
}, queries);
await browser.close();
fs.rmSync(tmp, { recursive: true, force: true });

const stats = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(1)} ms  p95 ${q(0.95).toFixed(1)} ms  max ${s[s.length - 1].toFixed(1)} ms`;
};
console.log(`kiosk search, ${n} guides (index ${(indexBytes / 1e6).toFixed(2)} MB, site build ${buildMs.toFixed(0)} ms, kiosk ready after ${loadMs.toFixed(0)} ms)`);
console.log(`  keystroke → results laid out (${times.length} keystrokes): ${stats(times)}`);
console.log(`  search engine alone:                      ${stats(engine)}`);
