// Plays one HLS stream to its end in Debian's headless Chromium, driven by playwright-core,
// and prints one JSON report on stdout (diagnostics go to stderr). The JUnit test
// (BrowserPlayback) runs this script, parses the report and asserts on it.
//
// Usage: node play.mjs '<json config>'
//   url          page to open (the demo page, or player.html?src=...)
//   mode         "demo": type text and click Start; "player": the page plays by itself
//   text, lang, avatar   demo mode: what to type and pick
//   expectError  demo mode: wait for the page's error box instead of playback
//   stopAtSeconds  demo mode: click Stop once the video has played this far (media time); then play on
//                to the end of what was published
//   screenshot   PNG path for the mid-playback screenshot of the page
//   videoScreenshot  PNG path for the video frame shown at that moment, at the stream's size
//   midSeconds   media time at which to take it
//   timeoutMs    overall limit for the whole run
//   chromium     the browser executable (default /usr/bin/chromium)
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const config = JSON.parse(process.argv[2] || '{}');
const executablePath = config.chromium || '/usr/bin/chromium';
const timeoutMs = config.timeoutMs || 120_000;
const midSeconds = config.midSeconds ?? 1.0;

// Flags this machine's closed network and headless root runs need; playwright adds --headless.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

// Runs in the page before any of its scripts: records the media events of every <video>
// (media events do not bubble, but capturing listeners on window see them).
function recorder() {
  const rec = {
    events: [], waiting: 0, seeks: [], lastTime: 0, firstPlayingAt: null,
    ended: null, mediaError: null,
  };
  window.__playback = rec;
  const snapshot = (v) => {
    const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : null;
    const played = [];
    for (let i = 0; i < v.played.length; i++) played.push([v.played.start(i), v.played.end(i)]);
    const buffered = [];
    for (let i = 0; i < v.buffered.length; i++) buffered.push([v.buffered.start(i), v.buffered.end(i)]);
    return {
      currentTime: v.currentTime, duration: v.duration, paused: v.paused, ended: v.ended,
      readyState: v.readyState, videoWidth: v.videoWidth, videoHeight: v.videoHeight,
      droppedVideoFrames: q ? q.droppedVideoFrames : null,
      totalVideoFrames: q ? q.totalVideoFrames : null,
      corruptedVideoFrames: q && 'corruptedVideoFrames' in q ? q.corruptedVideoFrames : null,
      played, buffered, playbackRate: v.playbackRate,
    };
  };
  rec.snapshot = snapshot;
  const on = (type, fn) => window.addEventListener(type, (e) => {
    if (e.target instanceof HTMLVideoElement) fn(e.target);
  }, true);
  ['loadedmetadata', 'playing', 'pause', 'stalled', 'durationchange'].forEach((type) =>
    on(type, (v) => rec.events.push({ type, t: v.currentTime, d: v.duration, at: performance.now() })));
  // The demo page's status when playback began: 'processing' means it started on a growing playlist.
  on('playing', (v) => {
    if (rec.firstPlayingAt !== null) return;
    const status = document.getElementById('status');
    rec.firstPlayingAt = { t: v.currentTime, at: performance.now(), status: status ? status.textContent : null };
  });
  on('waiting', (v) => { rec.waiting += 1; rec.events.push({ type: 'waiting', t: v.currentTime, at: performance.now() }); });
  on('timeupdate', (v) => { if (!v.seeking) rec.lastTime = v.currentTime; });
  on('seeking', (v) => rec.seeks.push({ from: rec.lastTime, to: v.currentTime }));
  on('ended', (v) => { rec.ended = snapshot(v); rec.ended.at = performance.now(); });
  on('error', (v) => { rec.mediaError = v.error ? { code: v.error.code, message: v.error.message } : { code: null }; });
}

// Runs in the page: the demo page's Start and Stop buttons (enabled? shown?) and its status text.
function controls() {
  const button = (id) => {
    const b = document.getElementById(id);
    return b ? { disabled: b.disabled, visible: b.checkVisibility() } : null;
  };
  const status = document.getElementById('status');
  return { start: button('start'), stop: button('stop'), status: status ? status.textContent : null };
}

async function main() {
  const report = {
    ok: false, failure: null, mode: config.mode, url: config.url,
    browserVersion: null, playerEngine: null, hlsErrors: [], fatalHlsErrors: [], loadedFragments: null,
    errorText: null, statusText: null, sessionId: null,
    ended: null, last: null, firstPlaying: null, waitingEvents: 0, seeks: [], events: [],
    mediaError: null, controlsOnLoad: null, stop: null, controlsAtEnd: null, screenshot: null, videoScreenshot: null, screenshotAtTime: null, droppedDuringScreenshot: 0, drops: [],
    consoleErrors: [], pageErrors: [], failedRequests: [], httpErrors: [],
    timingsMs: {},
  };
  const started = Date.now();
  const userDataDir = mkdtempSync(join(tmpdir(), 'lipsync-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath, headless: true, args: CHROMIUM_ARGS,
      // Tall enough for the whole demo page: a full-page screenshot would resize the viewport mid-playback.
      viewport: { width: 900, height: 1200 }, timeout: 60_000,
    });
    report.browserVersion = context.browser() ? context.browser().version() : null;
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') report.consoleErrors.push(m.text());
      console.error(`[console.${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => report.pageErrors.push(String(e)));
    page.on('requestfailed', (r) => report.failedRequests.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => { if (r.status() >= 400) report.httpErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
    await page.addInitScript(recorder);

    await page.goto(config.url, { waitUntil: 'load', timeout: 30_000 });
    report.timingsMs.pageLoaded = Date.now() - started;

    if (config.mode === 'demo') {
      report.controlsOnLoad = await page.evaluate(controls);
      await page.fill('#text', config.text);
      await page.selectOption('#lang', config.lang);
      if (config.avatar) await page.fill('#avatar', config.avatar);
      await page.click('#start');
    }

    const deadline = started + timeoutMs;
    let lastDropped = 0;
    for (;;) {
      const state = await page.evaluate(() => {
        const v = document.querySelector('video');
        const err = document.getElementById('error');
        const status = document.getElementById('status');
        const demo = window.lipsyncDemo || {};
        const player = demo.player || null;
        return {
          snap: v ? window.__playback.snapshot(v) : null,
          ended: window.__playback.ended,
          errorText: err && !err.hidden ? err.textContent : null,
          statusText: status ? status.textContent : null,
          sessionId: demo.sessionId || null,
          playerEngine: player ? player.engine : null,
          hlsErrors: player ? player.errors : [],
          loadedFragments: player && player.fragments ? player.fragments : null,
          mediaError: window.__playback.mediaError,
        };
      });
      report.errorText = state.errorText;
      report.statusText = state.statusText;
      report.sessionId = state.sessionId;
      report.playerEngine = state.playerEngine;
      report.hlsErrors = state.hlsErrors;
      report.fatalHlsErrors = state.hlsErrors.filter((e) => e.fatal);
      report.loadedFragments = state.loadedFragments;
      report.mediaError = state.mediaError;
      report.last = state.snap;
      // Where in the media the drops happened, for telling a loaded machine from a bad stream.
      if (state.snap && state.snap.droppedVideoFrames > lastDropped) {
        report.drops.push({ t: state.snap.currentTime, dropped: state.snap.droppedVideoFrames, atMs: Date.now() - started });
        lastDropped = state.snap.droppedVideoFrames;
      }

      if (config.expectError) {
        if (state.errorText) break;
      } else {
        if (state.errorText || report.fatalHlsErrors.length > 0 || state.mediaError) {
          report.failure = `the page reported an error: ${state.errorText || JSON.stringify(report.fatalHlsErrors[0] || state.mediaError)}`;
          break;
        }
        if (!report.screenshot && state.snap && state.snap.currentTime >= midSeconds && !state.snap.ended) {
          mkdirSync(dirname(config.screenshot), { recursive: true });
          if (config.videoScreenshot) {
            // The decoded frame itself, drawn on a canvas: shows what the stream carries without
            // disturbing the compositor that presents the video.
            const png = await page.evaluate(() => {
              const v = document.querySelector('video');
              const canvas = document.createElement('canvas');
              canvas.width = v.videoWidth;
              canvas.height = v.videoHeight;
              canvas.getContext('2d').drawImage(v, 0, 0);
              return canvas.toDataURL('image/png');
            });
            writeFileSync(config.videoScreenshot, Buffer.from(png.slice(png.indexOf(',') + 1), 'base64'));
            report.videoScreenshot = config.videoScreenshot;
          }
          // A page screenshot makes headless Chromium composite a frame on demand, which can cost
          // the playing video a frame or two: those are counted apart from playback's own drops.
          const dropped = () => page.evaluate(() => document.querySelector('video').getVideoPlaybackQuality().droppedVideoFrames);
          const before = await dropped();
          await page.screenshot({ path: config.screenshot });
          report.droppedDuringScreenshot = (await dropped()) - before;
          report.screenshot = config.screenshot;
          report.screenshotAtTime = state.snap.currentTime;
          report.timingsMs.screenshot = Date.now() - started;
        }
        if (config.stopAtSeconds != null && !report.stop && state.snap
            && state.snap.currentTime >= config.stopAtSeconds) {
          // What the user saw when reaching for Stop; a disabled button is not clicked (the test says so).
          report.stop = { currentTime: state.snap.currentTime, before: await page.evaluate(controls), clicked: false };
          if (!report.stop.before.stop.disabled && report.stop.before.stop.visible) {
            await page.click('#stop');
            report.stop.clicked = true;
          }
        }
        if (state.ended) {
          report.ended = state.ended;
          report.timingsMs.ended = Date.now() - started;
          break;
        }
      }
      if (Date.now() > deadline) {
        report.failure = `timed out after ${timeoutMs} ms: status=${state.statusText} `
          + `currentTime=${state.snap && state.snap.currentTime} duration=${state.snap && state.snap.duration}`;
        break;
      }
      // Polling is a task on the page's main thread: kept sparse so it costs the video nothing.
      await page.waitForTimeout(250);
    }

    if (config.mode === 'demo') report.controlsAtEnd = await page.evaluate(controls);
    const rec = await page.evaluate(() => ({
      events: window.__playback.events, waiting: window.__playback.waiting,
      seeks: window.__playback.seeks, firstPlayingAt: window.__playback.firstPlayingAt,
    }));
    report.events = rec.events;
    report.waitingEvents = rec.waiting;
    report.seeks = rec.seeks;
    report.firstPlaying = rec.firstPlayingAt;
    report.ok = report.failure === null;
  } catch (e) {
    report.failure = `harness error: ${e && e.stack ? e.stack : e}`;
  } finally {
    if (context) await context.close().catch(() => {});
    rmSync(userDataDir, { recursive: true, force: true });
    report.timingsMs.total = Date.now() - started;
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}

main();
