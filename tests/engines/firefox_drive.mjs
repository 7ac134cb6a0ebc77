// Drive Firefox ESR headless through puppeteer-core over WebDriver BiDi: the test suite's
// Firefox (tests/engines/firefox.py runs this, one process per test session). Playwright's
// Firefox mode and geckodriver do not work with Debian's ESR; puppeteer's BiDi client does.
//
//   node firefox_drive.mjs                  # JSON-lines: one command per stdin line, one reply per stdout line
//   node firefox_drive.mjs commands.json    # one-shot: runs the array, prints the array of replies
//
// Every reply is {ok: true, ...} or {ok: false, error}. The browser starts on the first
// command that needs it (or an explicit "launch"). Events the page and its frames emit
// (console, pageerror, request, response failure) are buffered; "drain" returns and clears them.
// Commands (op: ...):
//   launch {profile?, prefs?}      start Firefox (profile: a persistent directory, kept after close)
//   close                          close the browser (the profile directory stays)
//   goto {url, timeout?}           navigate the page (load event); {ms}
//   reload {timeout?}              reload the page; {ms}
//   waitReady {timeout?}           wait for [data-calculator] state ready|error; {state, ms, readyAt}
//                                  readyAt: performance.now() when the state changed (navigation start = 0)
//   frame {selector?}              run later commands in this iframe (by selector), or the main frame again
//   answer {steps, timeout?}       steps: [{question, labels:[...]}, {question, text}] clicked/typed by label
//   click {label?|button?|selector?}   click a <label> by exact text, a <button> by exact text, or a selector
//   waitFor {js, timeout?}         wait until the expression `js` is truthy in the current frame; {value}
//   eval {js, arg?}                evaluate `js` (an expression; with arg: a function applied to arg); {value}
//   keys {keys}                    press a chord, e.g. ["Control", "v"] (real key events)
//   workers / workerEval {urlContains, js}   list the page's dedicated workers / evaluate in one
//   pid                            the browser's process id (for OS-level memory)
//   intercept {pattern, delayMs}   hold requests whose URL contains pattern for delayMs (BiDi network intercept)
//   offline {on}                   BiDi emulation.setNetworkConditions offline (the only throttling BiDi has)
//   dialogs {answer?}              the messages of the page's dialogs (confirm, alert) since last time; with
//                                  answer ("accept" | "dismiss"), how later ones are answered (default: dismiss)
//   drain                          {console, errors, requests}
import fs from "node:fs";
import readline from "node:readline";
import puppeteer from "puppeteer-core";

const FIREFOX = process.env.FIREFOX ?? "/usr/bin/firefox-esr";
// Runs in every document before its scripts (BiDi script.addPreloadScript): records when the
// calculator's state changes, and every CSP violation, where the driver can read them.
const PRELOAD = () => {
  window.__gc = { readyAt: null, state: null, csp: [] };
  new MutationObserver(() => {
    const root = document.querySelector("[data-calculator]");
    const state = root?.dataset.calculatorState;
    if (state && state !== window.__gc.state) {
      window.__gc.state = state;
      if (state === "ready" || state === "error") window.__gc.readyAt = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-calculator-state"] });
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__gc.csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.href}`);
    console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
  });
};

let browser = null;
let page = null;
let frame = null; // the frame later commands act in
let buffers = { console: [], errors: [], requests: [] };
let dialogAnswer = "dismiss";
let dialogs = [];

async function launch({ profile, prefs = {} } = {}) {
  const started = Date.now();
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile, // undefined: a fresh temporary profile, deleted on close
    extraPrefsFirefox: prefs,
  });
  page = (await browser.pages())[0] ?? (await browser.newPage());
  frame = page.mainFrame();
  await page.evaluateOnNewDocument(PRELOAD);
  page.on("console", (m) => buffers.console.push({ type: m.type(), text: m.text(), url: m.location()?.url }));
  page.on("pageerror", (e) => buffers.errors.push(String(e?.message ?? e)));
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await (dialogAnswer === "accept" ? d.accept() : d.dismiss());
  });
  // r.resourceType() throws UnsupportedOperation under BiDi: record url, method and frame only.
  page.on("request", (r) => buffers.requests.push({ url: r.url(), method: r.method(), frame: r.frame()?.url() ?? null }));
  // A request the browser cancelled is not a failure of the site: Firefox prefetches the page
  // Material names in <link rel="next"> once the page is idle, and stops that prefetch when the
  // test moves on (NS_BINDING_ABORTED). Every other failure is recorded.
  page.on("requestfailed", (r) => {
    const reason = r.failure()?.errorText;
    if (reason !== "NS_BINDING_ABORTED") buffers.errors.push(`requestfailed ${r.url()} ${reason}`);
  });
  return { version: await browser.version(), ms: Date.now() - started };
}

const needPage = async () => page ?? (await launch(), page);

async function waitReady({ timeout = 60000 }) {
  const started = Date.now();
  const handle = await frame.waitForFunction(
    () => ["ready", "error"].includes(document.querySelector("[data-calculator]")?.dataset.calculatorState),
    { timeout, polling: 50 },
  );
  await handle.dispose();
  const info = await frame.evaluate(() => ({
    state: document.querySelector("[data-calculator]").dataset.calculatorState,
    readyAt: window.__gc?.readyAt ?? null,
  }));
  return { ...info, ms: Date.now() - started };
}

/** Click the <label> whose text is exactly `text` inside `scope` (a selector), waiting for it to show. */
async function clickLabel(text, scope = "", timeout = 10000) {
  const found = await frame.waitForFunction(
    (scope, text) => {
      const root = scope ? document.querySelector(scope) : document;
      if (!root || (scope && root.closest("[hidden]"))) return null;
      return [...root.querySelectorAll("label")].find((l) => l.textContent.trim() === text && l.checkVisibility()) ?? null;
    },
    { timeout, polling: 50 },
    scope,
    text,
  );
  await found.asElement().click();
  await found.dispose();
}

async function answer({ steps, timeout = 10000 }) {
  const started = Date.now();
  for (const step of steps) {
    const scope = `[data-question="${step.question}"]`;
    if ("text" in step) {
      await frame.waitForSelector(`${scope} input:not([hidden])`, { visible: true, timeout });
      const input = await frame.$(`${scope} input`);
      await input.click({ count: 3 }); // select what is there, then type over it
      await input.press("Backspace");
      await input.type(String(step.text));
      await input.dispose();
    } else {
      for (const label of step.labels) await clickLabel(label, scope, timeout);
    }
  }
  return { ms: Date.now() - started };
}

async function click({ label, button, selector, timeout = 10000 }) {
  if (label) return await clickLabel(label, "", timeout), {};
  if (button) {
    const found = await frame.waitForFunction(
      (text) => [...document.querySelectorAll("button")].find((b) => b.textContent.trim() === text && b.checkVisibility()),
      { timeout, polling: 50 },
      button,
    );
    await found.asElement().click();
    return {};
  }
  await frame.click(selector);
  return {};
}

async function run(command) {
  const { op, ...args } = command;
  switch (op) {
    case "launch":
      return launch(args);
    case "close": {
      await browser?.close();
      browser = page = frame = null;
      return {};
    }
    case "goto": {
      await needPage();
      frame = page.mainFrame();
      const started = Date.now();
      await page.goto(args.url, { timeout: args.timeout ?? 60000, waitUntil: "load" });
      return { ms: Date.now() - started };
    }
    case "reload": {
      const started = Date.now();
      frame = page.mainFrame();
      await page.reload({ timeout: args.timeout ?? 60000, waitUntil: "load" });
      return { ms: Date.now() - started };
    }
    case "waitReady":
      return waitReady(args);
    case "frame": {
      if (!args.selector) return (frame = page.mainFrame()), {};
      const element = await page.waitForSelector(args.selector, { timeout: args.timeout ?? 10000 });
      frame = await element.contentFrame();
      return { url: frame.url() };
    }
    case "answer":
      return answer(args);
    case "click":
      return click(args);
    case "waitFor": {
      const handle = await frame.waitForFunction(args.js, { timeout: args.timeout ?? 10000, polling: 50 });
      return { value: await handle.jsonValue() };
    }
    case "eval": {
      const started = Date.now();
      const js = "arg" in args ? `(${args.js})(${JSON.stringify(args.arg)})` : args.js;
      return { value: await frame.evaluate(js), ms: Date.now() - started };
    }
    case "keys": {
      // A chord such as ["Control", "v"]: real key events through BiDi input.performActions.
      for (const key of args.keys) await page.keyboard.down(key);
      for (const key of [...args.keys].reverse()) await page.keyboard.up(key);
      return {};
    }
    case "workers":
      // Dedicated workers of the page (BiDi realms of type dedicated-worker).
      return { urls: page.workers().map((w) => w.url()) };
    case "workerEval": {
      // Evaluate in the first worker whose URL contains `urlContains`, e.g. self.calculatorStats().
      const worker = page.workers().find((w) => w.url().includes(args.urlContains));
      if (!worker) throw new Error(`no worker matching ${args.urlContains}: ${page.workers().map((w) => w.url())}`);
      return { value: await worker.evaluate(args.js) };
    }
    case "pid":
      return { pid: browser.process()?.pid ?? null };
    case "intercept": {
      // Delay matching requests (a crude slow network for page *and* worker requests; not the service worker's).
      const { pattern = "", delayMs = 0 } = args;
      await page.setRequestInterception(true);
      page.on("request", (r) => {
        if (r.isInterceptResolutionHandled()) return;
        const go = () => r.continue().catch(() => {});
        r.url().includes(pattern) && delayMs ? setTimeout(go, delayMs) : go();
      });
      return {};
    }
    case "offline":
      return await page.setOfflineMode(Boolean(args.on)), {};
    case "dialogs": {
      const messages = dialogs;
      dialogs = [];
      if (args.answer) dialogAnswer = args.answer;
      return { messages };
    }
    case "drain": {
      const drained = buffers;
      buffers = { console: [], errors: [], requests: [] };
      return drained;
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
}

async function reply(command) {
  try {
    return { ok: true, ...(await run(command)) };
  } catch (error) {
    return { ok: false, error: String(error?.stack ?? error) };
  }
}

if (process.argv[2]) {
  const replies = [];
  for (const command of JSON.parse(fs.readFileSync(process.argv[2], "utf8"))) replies.push(await reply(command));
  await browser?.close();
  process.stdout.write(JSON.stringify(replies) + "\n");
} else {
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim()) process.stdout.write(JSON.stringify(await reply(JSON.parse(line))) + "\n");
  }
  await browser?.close(); // stdin closed: the test session is over
}
