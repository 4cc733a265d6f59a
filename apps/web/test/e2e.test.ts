import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav16 } from '../lib/wav-encode.ts';
import { axeViolations, chromiumPresent, launchChromium, CHROMIUM } from './browser.ts';
import { REPO, startStack, WEB_DIR, type Stack } from './servers.ts';

// Screenshots of every page, to look at: apps/web/test-results/.
const SHOTS = path.join(WEB_DIR, 'test-results');
const SHARED_FIRE = path.resolve(REPO, '..', 'shared', 'data', 'sounds', 'crackling_fire');

if (!chromiumPresent)
  console.warn(`Chromium is not at ${CHROMIUM} (apt-get install chromium): the browser tests are skipped`);

/** A steady tone as a WAV file (the site's own encoder): the fake microphone's sound, and uploads. */
async function toneWav(seconds: number): Promise<Buffer> {
  const samples = Float32Array.from({ length: 16_000 * seconds }, (_, i) => 0.3 * Math.sin(i / 7));
  return Buffer.from(await encodeWav16([samples], 16_000).arrayBuffer());
}

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tone: string;
let upload: string;

beforeAll(async () => {
  if (!chromiumPresent) return;
  await mkdir(SHOTS, { recursive: true });
  tone = path.join(SHOTS, 'tone.wav');
  await writeFile(tone, await toneWav(2));
  const fire = existsSync(SHARED_FIRE)
    ? readdirSync(SHARED_FIRE)
        .filter((f) => f.endsWith('.ogg'))
        .sort()[0]
    : undefined;
  upload = fire ? path.join(SHARED_FIRE, fire) : tone;
  // Two edits at once per visitor, so the limit can be met on purpose.
  stack = await startStack({ activeEdits: 2 });
  browser = await launchChromium(tone);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function shot(name: string, p: Page = page): Promise<void> {
  await p.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function expectAccessible(name: string): Promise<void> {
  const bad = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${name}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}

async function waitForSuccess(): Promise<string> {
  await page.waitForURL(/\/e\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  const id = page.url().split('/').at(-1)!;
  await page
    .getByTestId('edit-status')
    .filter({ hasText: /Succeeded|Failed|Canceled/ })
    .waitFor({ timeout: 120_000 });
  expect(await page.getByTestId('edit-status').textContent()).toBe('Succeeded');
  return id;
}

async function fewSteps(steps: number): Promise<void> {
  await page.getByText('Advanced').click();
  await page.getByLabel('Steps').fill(String(steps));
}

describe.skipIf(!chromiumPresent)('the web site in Chromium', () => {
  let first: string;

  it('creates an edit from an uploaded sound and shows its progress live until the result', async () => {
    // A second visitor watches the gallery's live feed meanwhile.
    const watcher = await context.newPage();
    await watcher.goto(stack.webUrl);
    await page.goto(`${stack.webUrl}/create`);
    // The seed's source picture shows, and changes on a re-roll.
    const preview = page.getByTestId('source-preview');
    await preview.waitFor();
    const before = await preview.getAttribute('src');
    await page.getByRole('button', { name: 'Re-roll' }).click();
    await page.waitForFunction(
      (old) => document.querySelector('[data-testid=source-preview]')?.getAttribute('src') !== old,
      before,
    );
    await expectAccessible('create');
    await shot('create');
    await page.getByTestId('sound-file').setInputFiles(upload);
    await page.getByTestId('sound-preview').waitFor();
    await fewSteps(40);
    await page.getByLabel(/A louder sound pulls harder/).check();
    await page.getByRole('button', { name: 'Edit with this sound' }).click();
    await page.waitForURL(/\/e\//, { timeout: 60_000 });
    // The live view: a step counter that moves (or the queue position first).
    await page
      .locator('[data-testid=step-counter], [data-testid=queue-position], [data-testid=edit-status]')
      .first()
      .waitFor();
    await shot('progress');
    first = await waitForSuccess();
    const result = page.getByAltText(/^After:/);
    await result.waitFor();
    expect(await result.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('final-cosine').textContent())).toBeGreaterThan(-1);
    expect(await page.getByTestId('loudness').textContent()).toMatch(
      /^-?\d+\.\d dBFS: strength ×\s?[012]\.\d\d$/,
    );
    await expectAccessible('edit');
    await shot('edit');
    await watcher
      .locator(`section[aria-labelledby=live-heading] a[data-edit-id="${first}"]`)
      .waitFor({ timeout: 30_000 });
    await shot('live-feed', watcher);
    await watcher.close();

    // The comparison slider works from the keyboard.
    const slider = page.getByRole('slider');
    await slider.focus();
    const clip = () => page.getByAltText(/^After:/).evaluate((img: HTMLImageElement) => img.style.clipPath);
    const start = await clip();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await clip()).not.toBe(start);
  }, 240_000);

  it('says when the visitor has too many edits running, and cancels running edits from their live view', async () => {
    const start = async (p: Page) => {
      await p.goto(`${stack.webUrl}/create`);
      await p.getByTestId('sound-file').setInputFiles(tone);
      await p.getByText('Advanced').click();
      await p.getByLabel('Steps').fill('1000');
      await p.getByRole('button', { name: 'Edit with this sound' }).click();
    };
    await start(page);
    await page.waitForURL(/\/e\//, { timeout: 60_000 });
    await page.getByTestId('step-counter').waitFor({ timeout: 60_000 });
    const other = await context.newPage();
    await start(other);
    await other.waitForURL(/\/e\//, { timeout: 60_000 });
    const third = await context.newPage();
    await start(third);
    await third
      .getByRole('alert')
      .filter({ hasText: /2 edits queued or running; at most 2 at once: wait/ })
      .waitFor();
    await shot('too-many', third);
    await third.close();
    for (const p of [other, page]) {
      await p.getByRole('button', { name: 'Cancel edit' }).click();
      await p.getByTestId('edit-status').filter({ hasText: 'Canceled' }).waitFor({ timeout: 60_000 });
      await p.getByText('This edit was canceled.').waitFor();
    }
    await other.close();
  }, 180_000);

  it('finds the edit in the gallery, likes it and remixes it with text', async () => {
    await page.goto(stack.webUrl);
    const tile = page.locator(`a[data-edit-id="${first}"]`).first();
    await tile.waitFor();
    await expectAccessible('gallery');
    await shot('gallery');
    await tile.click();
    await page.waitForURL(new RegExp(`/e/${first}$`));
    await page.getByRole('button', { name: /Like/ }).click();
    await page.getByRole('button', { name: /Liked/ }).waitFor();
    expect(await page.getByRole('button', { name: /Liked/ }).textContent()).toMatch(/\(1\)/);

    await page.getByRole('link', { name: 'Remix' }).click();
    await page.waitForURL(/\/create\?remix=/);
    await page.getByLabel(/Prompt/).fill('laughing');
    await fewSteps(40);
    await shot('remix');
    await page.getByRole('button', { name: 'Remix' }).click();
    const second = await waitForSuccess();
    expect(second).not.toBe(first);
    await page.getByRole('heading', { name: 'Remix tree' }).waitFor();
    expect(await page.locator(`a[data-edit-id="${first}"]`).count()).toBe(1);
    await shot('remixed');

    await page.goto(`${stack.webUrl}/me`);
    await page.locator(`a[data-edit-id="${second}"]`).waitFor();
    await expectAccessible('my edits');
    await shot('me');
  }, 240_000);

  let recorded: string;

  it('records from the microphone, listens back and edits with the recording', async () => {
    await page.goto(`${stack.webUrl}/create`);
    await page.getByRole('button', { name: /Record/ }).click();
    await page.getByRole('button', { name: /Stop recording/ }).waitFor();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: /Stop recording/ }).click();
    await page.getByTestId('sound-preview').waitFor();
    await fewSteps(20);
    await page.getByRole('button', { name: 'Edit with this sound' }).click();
    recorded = await waitForSuccess();
    await shot('recorded');
  }, 240_000);

  it('trims a long sound to the allowed 30 s in the browser and inverts an uploaded photo', async () => {
    const long = path.join(SHOTS, 'long.wav');
    await writeFile(long, await toneWav(35));
    await page.goto(`${stack.webUrl}/create`);
    await page.getByTestId('sound-file').setInputFiles(long);
    await page.getByText('End at 30.0 s (of 35.0 s)').waitFor();
    // The photo: a picture of the generator's own (the first edit's result), saved as a file.
    const photo = path.join(SHOTS, 'photo.png');
    const resultUrl = await (async () => {
      const other = await context.newPage();
      await other.goto(`${stack.webUrl}/e/${first}`);
      const src = await other.getByAltText(/^After:/).getAttribute('src');
      await other.close();
      return src!;
    })();
    await writeFile(photo, Buffer.from(await (await fetch(resultUrl)).arrayBuffer()));
    await page.getByLabel('My photo').check();
    await page.getByLabel(/^Photo/).setInputFiles(photo);
    await fewSteps(20);
    await shot('trim-and-photo');
    await page.getByRole('button', { name: 'Edit with this sound' }).click();
    await waitForSuccess();
    expect(await page.getByText(/ 30\.00 s, /).count()).toBe(1);
    await page.getByText('Inversion PSNR').waitFor();
    await shot('inverted');
  }, 240_000);

  it('shows why an edit failed: a remix whose source was deleted before it ran', async () => {
    // A long edit holds the worker while a remix of the recording waits behind it.
    await page.goto(`${stack.webUrl}/create`);
    await page.getByTestId('sound-file').setInputFiles(tone);
    await fewSteps(1000);
    await page.getByRole('button', { name: 'Edit with this sound' }).click();
    await page.getByTestId('step-counter').waitFor({ timeout: 60_000 });
    const other = await context.newPage();
    await other.goto(`${stack.webUrl}/create?remix=${recorded}`);
    await other.getByText('Advanced').click();
    await other.getByLabel('Steps').fill('20');
    await other.getByRole('button', { name: 'Remix' }).click();
    await other.waitForURL(/\/e\//, { timeout: 60_000 });
    const deleted = await page.request.post(`${stack.webUrl}/graphql`, {
      data: { query: 'mutation ($id: ID!) { deleteEdit(id: $id) }', variables: { id: recorded } },
    });
    expect(await deleted.json()).toEqual({ data: { deleteEdit: recorded } });
    await page.getByRole('button', { name: 'Cancel edit' }).click();
    await other.getByTestId('edit-status').filter({ hasText: 'Failed' }).waitFor({ timeout: 60_000 });
    await other
      .getByRole('alert')
      .filter({ hasText: /This edit failed: .*no result to start from \(MISSING_INPUT\)/ })
      .waitFor();
    await shot('failed', other);
    await other.close();
  }, 180_000);

  it('says clearly what is wrong with a bad upload, and keeps working', async () => {
    const junk = path.join(SHOTS, 'not-a-sound.wav');
    await writeFile(junk, 'this is text, not a sound');
    await page.goto(`${stack.webUrl}/create`);
    await page.getByTestId('sound-file').setInputFiles(junk);
    await page.getByRole('button', { name: 'Edit with this sound' }).click();
    // Next's route announcer is an alert too: look for ours by its words.
    await page
      .getByRole('alert')
      .filter({ hasText: /not a sound we can read/ })
      .waitFor();
    await shot('bad-upload');

    const big = path.join(SHOTS, 'too-big.wav');
    await writeFile(big, Buffer.alloc(11 * 1024 * 1024, 1));
    await page.getByTestId('sound-file').setInputFiles(big);
    await page.getByRole('button', { name: 'Edit with this sound' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /larger than 10 MB|too large/ })
      .waitFor();

    await page.goto(`${stack.webUrl}/e/00000000-0000-0000-0000-000000000000`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
  }, 120_000);

  it('fits a phone screen and follows a dark colour scheme', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
    });
    const p = await phone.newPage();
    await p.goto(stack.webUrl);
    // Mobile emulation widens the layout viewport to fit wide content, so compare with the device width.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const background = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toMatch(/rgb\(255, 255, 255\)|oklch\(1 0 0\)/);
    await shot('gallery-phone-dark', p);
    await phone.close();
  }, 60_000);
  it('explains that the API is unreachable instead of failing blankly', async () => {
    await stack.stopApi();
    await page.goto(stack.webUrl);
    await page.getByRole('heading', { name: 'This page could not be shown' }).waitFor();
    await shot('api-unreachable');
  }, 60_000);
});
