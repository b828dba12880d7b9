// SPDX-License-Identifier: ISC
// The cart pages in Debian's chromium (playwright-core drives it; no browser download).
// Every check is soft: all run, each failure is printed, and the exit status is 1 if any
// failed, so one broken build shows every check it breaks.
// Usage: node cart_pages.mjs FIXTURE.json (written by cart_pages.sh)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const fx = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const base = fx.base;
const LIVE_MS = 5000;

// What each simulator profile makes of a phone (tests/fixtures/devices), with MinimumIOS=17.0.
const expected = {
	healthy: 'ready', 'backup-off': 'not-ready', unlocked: 'not-ready', 'no-power': 'not-ready',
	'not-charging': 'not-ready', 'no-wifi': 'not-ready', 'old-ios': 'not-ready',
	'large-data': 'not-ready', 'never-backed-up': 'not-ready', 'stale-backup': 'not-ready',
	'not-paired': 'unknown', 'locked-since-boot': 'unknown', 'trust-pending': 'unknown',
	drop: 'unknown',
};
const XSS = '<img src=x onerror=alert(1)>';
const JA_CUT = '日本語の名前'.repeat(12).slice(0, 21); // the probe keeps 63 bytes: 21 characters

let failures = 0;
function check(ok, what, detail = '') {
	if (ok) console.log(`ok - ${what}`);
	else {
		failures++;
		console.log(`FAIL: ${what}${detail ? ': ' + detail : ''}`);
	}
}
const sim = (...args) => execFileSync(fx.sim, ['--ctl', fx.simctl, ...args], { encoding: 'utf8' });
const refresh = (udid) =>
	execFileSync(fx.backupctl, ['--socket', fx.control, 'refresh', udid], { encoding: 'utf8', stdio: 'pipe' });
const refreshQuiet = (udid) => { try { refresh(udid); } catch { /* exit 1: not ready */ } };

function slotOf(port) { // 1-1.k -> k, 1-2.k -> 7 + k (FirstSlot=8)
	const m = /^1-([12])\.(\d)$/.exec(port);
	return m ? String((m[1] === '2' ? 7 : 0) + Number(m[2])) : null;
}

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const dialogs = [], foreign = [], cspErrors = [];
function watch(page) {
	page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
	page.on('request', (r) => { if (!r.url().startsWith(base + '/')) foreign.push(r.url()); });
	page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text()); });
}

async function waitFor(page, fn, arg, ms) {
	try {
		await page.waitForFunction(fn, arg, { timeout: ms, polling: 100 });
		return true;
	} catch { return false; }
}

async function axeCheck(page, what) {
	const result = await page.evaluate(async (src) => {
		if (!window.axe) (0, eval)(src);
		const r = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length, target: v.nodes[0]?.target }));
	}, axeSource);
	const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
	check(bad.length === 0, `axe-core: no serious or critical violations (${what})`, JSON.stringify(bad));
}

try {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	watch(page);
	const cartUrl = `${base}/cart/Cart%203`;
	const response = await page.goto(cartUrl);
	const h = await response.allHeaders(); // headers() leaves out Set-Cookie
	check(h['content-security-policy']?.startsWith("default-src 'self'; frame-ancestors 'none'"),
		'Content-Security-Policy: default-src self, frame-ancestors none', h['content-security-policy']);
	check(h['x-content-type-options'] === 'nosniff', 'X-Content-Type-Options: nosniff');
	check(h['referrer-policy'] === 'no-referrer', 'Referrer-Policy: no-referrer');
	check(!('set-cookie' in h), 'no cookie');

	// Every tile: the phone the simulator put in that slot, in the state its profile sets.
	const ports = Object.fromEntries(sim('ports').trim().split(' ').slice(2).map((p) => p.split('=')));
	const allThere = await waitFor(page, (n) =>
		document.querySelectorAll('ol.slots > li.tile[data-udid]').length === n &&
		!document.querySelector('ol.slots > li[data-state="unknown"] .why:empty'), 14, 30000);
	check(allThere, 'the cart shows 14 slots with a phone each');
	await waitFor(page, (u) => document.querySelector(`li[data-udid="${u}"]`)?.dataset.state === 'not-ready',
		fx.phones['never-backed-up'], 20000);
	const tiles = await page.$$eval('ol.slots > li.tile', (els) => els.map((e) => ({
		slot: e.dataset.slot, udid: e.dataset.udid, state: e.dataset.state,
		name: e.querySelector('.name')?.textContent, word: e.querySelector('.state')?.textContent,
		glyph: e.querySelector('.badge')?.textContent })));
	check(tiles.map((t) => t.slot).join(',') === '1,2,3,4,5,6,7,8,9,10,11,12,13,14',
		'tiles in slot order 1..14', tiles.map((t) => t.slot).join(','));
	for (const [profile, udid] of Object.entries(fx.phones)) {
		const tile = tiles.find((t) => t.udid === udid);
		const slot = slotOf(ports[udid]);
		check(tile && tile.slot === slot, `${profile}: in slot ${slot} (port ${ports[udid]})`, JSON.stringify(tile));
		check(tile && tile.state === expected[profile], `${profile}: ${expected[profile]}`, tile && tile.state);
		// A phone backupd could not read in a session (not paired, Trust pending, dropped)
		// shows the name its identity answer gave, or its UDID when the probe got no name.
		const unread = ['not-paired', 'trust-pending', 'drop'].includes(profile);
		const name = profile === 'no-wifi' ? XSS : profile === 'old-ios' ? JA_CUT : `Sim ${profile}`;
		check(tile && (tile.name === name || (unread && tile.name === udid)),
			`${profile}: named ${JSON.stringify(name)}${unread ? ' (or its UDID)' : ''}`, tile && tile.name);
		check(tile && tile.word && tile.glyph, `${profile}: state as a word and a shape`, JSON.stringify(tile));
	}
	check(await page.$$eval('main img, main script', (e) => e.length) === 0, 'a hostile name makes no element');
	await page.screenshot({ path: `${fx.artifacts}/cart-desktop.png`, fullPage: true });
	await axeCheck(page, 'cart, light, desktop');
	await page.emulateMedia({ colorScheme: 'dark' });
	await axeCheck(page, 'cart, dark, desktop');
	await page.screenshot({ path: `${fx.artifacts}/cart-desktop-dark.png`, fullPage: true });
	await page.emulateMedia({ colorScheme: 'light' });

	// Print: the morning round's sheet lists the phones that need something, not the others.
	await page.emulateMedia({ media: 'print' });
	const shown = await page.$$eval('ol.slots > li.tile', (els) => els.map((e) => [e.dataset.state, getComputedStyle(e).display]));
	check(shown.every(([s, d]) => (s === 'ready' || s === 'empty') === (d === 'none')),
		'print: only phones needing something are on the sheet', JSON.stringify(shown));
	await page.emulateMedia({ media: 'screen' });

	// Live: each change shows on the open page within 5 s, without a reload.
	await page.evaluate(() => { window.__notReloaded = true; });
	const stateIs = (udid, state) => waitFor(page, ([u, s]) =>
		document.querySelector(`li[data-udid="${u}"]`)?.dataset.state === s, [udid, state], LIVE_MS);
	const unlocked = fx.phones.unlocked, healthy = fx.phones.healthy;
	sim('set', unlocked, 'root', 'PasswordProtected', 'true');
	refreshQuiet(unlocked);
	check(await stateIs(unlocked, 'ready'), 'locking a phone shows it ready within 5 s');
	sim('set', healthy, 'com.apple.mobile.battery', 'ExternalConnected', 'false');
	sim('set', healthy, 'com.apple.mobile.battery', 'BatteryIsCharging', 'false');
	refreshQuiet(healthy);
	const fixShown = await waitFor(page, (u) => {
		const t = document.querySelector(`li[data-udid="${u}"]`);
		return t?.dataset.state === 'not-ready' && /cable/.test(t.querySelector('.fix')?.textContent || '');
	}, healthy, LIVE_MS);
	check(fixShown, "a slot's charging broken shows not ready with the power fix within 5 s");
	const slot = slotOf(ports[healthy]);
	sim('detach', healthy);
	const emptied = await waitFor(page, (s) => {
		const t = document.querySelector(`ol.slots > li[data-slot="${s}"]`);
		return t?.dataset.state === 'empty' && /Sim healthy/.test(t.textContent);
	}, slot, LIVE_MS);
	check(emptied, 'unplugging a phone shows its slot empty, with the phone last there, within 5 s');
	check(await page.evaluate(() => window.__notReloaded === true), 'the page was not reloaded');

	// The phone page and the index, at a phone's size too.
	const mobile = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
	const small = await mobile.newPage();
	watch(small);
	await small.goto(cartUrl);
	await small.screenshot({ path: `${fx.artifacts}/cart-phone.png`, fullPage: true });
	await axeCheck(small, 'cart, phone size');
	const phoneUrl = `${base}/phone/${encodeURIComponent(fx.phones['no-wifi'])}`;
	await small.goto(phoneUrl);
	const rows = await small.$$eval('tr.pre', (r) => r.map((e) => e.dataset.precondition));
	check(fx.preconditions.length >= 9 && rows.join(',') === fx.preconditions.join(','),
		'phone page: every precondition', rows.join(','));
	check((await small.textContent('h1')) === XSS, 'phone page: the hostile name as text');
	check(/Join a Wi-Fi network/.test(await small.textContent('tr[data-precondition="wifi"]')),
		'phone page: the fix of the failing precondition');
	await axeCheck(small, 'phone page');
	await small.screenshot({ path: `${fx.artifacts}/phone-page.png`, fullPage: true });
	await small.goto(base + '/');
	check(/Cart 3/.test(await small.textContent('main')), 'index: the cart with its counts');
	await axeCheck(small, 'index');

	// Keyboard: Tab reaches the tiles' links.
	await page.keyboard.press('Tab');
	let reached = false;
	for (let i = 0; i < 12 && !reached; i++) {
		await page.keyboard.press('Tab');
		reached = await page.evaluate(() => !!document.activeElement?.closest('ol.slots'));
	}
	check(reached, 'keyboard: Tab reaches the slot tiles');

	check(dialogs.length === 0, 'no dialog fired', dialogs.join(' | '));
	check(foreign.length === 0, 'no request left for another origin', foreign.join(' '));
	check(cspErrors.length === 0, 'no Content-Security-Policy violation', cspErrors.join(' | '));
} catch (e) {
	check(false, 'the browser run', e.stack);
} finally {
	await browser.close();
}
console.log(failures ? `${failures} check(s) failed` : 'all browser checks passed');
process.exit(failures ? 1 : 0);
