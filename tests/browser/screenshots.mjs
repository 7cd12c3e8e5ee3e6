// Kiosk screenshots at 1080×1920 (portrait) and 1920×1080 (landscape): home, search
// results, step mode; the site's search on a phone (390×844) and a desktop (1280×900):
// the index with results, a guide page with header results.
// `node tests/browser/screenshots.mjs <built site> <out dir>`.
import path from "node:path";
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const site = path.resolve(process.argv[2] || "public");
const dir = path.resolve(process.argv[3] || "screenshots");
fs.mkdirSync(dir, { recursive: true });
const KIOSK = pathToFileURL(path.join(site, "kiosk", "index.html")).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--hide-scrollbars"],
});
for (const [name, viewport] of [["portrait", { width: 1080, height: 1920 }], ["landscape", { width: 1920, height: 1080 }]]) {
  const page = await browser.newPage({ viewport });
  const shots = [
    ["home", ""],
    ["search", "#q/khai sinh"],
    ["steps", "#g/dang-ky-khai-sinh/2"],
    ["guide", "#g/dang-ky-ket-hon"],
  ];
  for (const [what, hash] of shots) {
    await page.goto(KIOSK + "?s=" + what + hash);
    await page.waitForSelector("body[data-ready=true]");
    if (hash.startsWith("#g/")) await page.waitForSelector("#k-guide .k-guide");
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(dir, `kiosk-${name}-${what}.png`) });
  }
  await page.close();
}
for (const [name, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 900 }]]) {
  const page = await browser.newPage({ viewport, deviceScaleFactor: name === "phone" ? 2 : 1 });
  await page.goto(pathToFileURL(path.join(site, "index.html")).href + "?q=khai%20sinh");
  await page.waitForSelector("#q-list a");
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(dir, `site-${name}-index-search.png`) });
  await page.goto(pathToFileURL(path.join(site, "index.html")).href);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(dir, `site-${name}-index.png`) });
  await page.goto(pathToFileURL(path.join(site, "guides/dang-ky-ket-hon/index.html")).href);
  await page.fill("#site-q", "dang ky");
  await page.waitForSelector("#site-q-list a");
  await page.focus("#site-q");
  await page.keyboard.press("ArrowDown");
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(dir, `site-${name}-guide-search.png`) });
  await page.close();
}
await browser.close();
console.log("screenshots in " + dir);
