// One Lighthouse run, signed in when a session key is given. Called by benchmarks/lighthouse.sh
// from var/node/ (where npm ci put the packages):
//
//   node run.mjs URL OUTPUT_BASE mobile|desktop [SESSION_KEY]
//
// writes OUTPUT_BASE.report.json and OUTPUT_BASE.report.html. The session goes into the browser's
// cookie jar before the run rather than into --extra-headers: a header named Cookie is replaced by
// the jar's cookies as soon as the page sets one (csrftoken), so the page's own fetches (the
// dashboard's chart data) went out signed out and were redirected to the sign-in page.
import { writeFileSync } from "node:fs";

import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import puppeteer from "puppeteer-core";

const [url, outputBase, preset, session] = process.argv.slice(2);
if (!url || !outputBase || !["mobile", "desktop"].includes(preset)) {
  console.error("usage: node run.mjs URL OUTPUT_BASE mobile|desktop [SESSION_KEY]");
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
let status = 0;
try {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
  if (session) {
    const { hostname } = new URL(url);
    await browser.setCookie({
      name: "sessionid", value: session, domain: hostname, path: "/", httpOnly: true, sameSite: "Lax",
    });
  }
  const page = await browser.newPage();
  const flags = {
    output: ["json", "html"],
    logLevel: "error",
    onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
  };
  const result = await lighthouse(url, flags, preset === "desktop" ? desktopConfig : undefined, page);
  const [json, html] = result.report;
  writeFileSync(`${outputBase}.report.json`, json);
  writeFileSync(`${outputBase}.report.html`, html);
  if (result.lhr.runtimeError) {
    console.error(`Lighthouse: ${result.lhr.runtimeError.message}`);
    status = 1;
  }
  await browser.disconnect();
} catch (error) {
  console.error(`Lighthouse failed: ${error.message}`);
  status = 1;
} finally {
  chrome.kill();
}
process.exit(status);
