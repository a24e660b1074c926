import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect as baseExpect, createWorkflow, test, uniqueName } from './fixtures';

// Workflows journeys against the real server (seeded data dir, see playwright.config.ts): the list,
// the detail with its graph, authoring in the builder and in Monaco (JSON and YAML), duplicate with
// a diff, run with variables, delete. `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/workflows-*.png.

const shots = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : undefined;

// Monaco is a large lazy chunk and validates in workers: give the page time on a busy machine.
const expect = baseExpect.configure({ timeout: 15_000 });
test.describe.configure({ timeout: 120_000 });

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** A fresh authoring page: no draft left by an earlier journey. */
async function openNewWorkflow(page: Page, query = '') {
  await page.goto('/workflows');
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('flows-console:workflow-draft:')) localStorage.removeItem(key);
  });
  await page.goto(`/workflows/new${query}`);
  await expect(heading(page, 'New workflow')).toBeVisible();
}

/** The Monaco editor of a format, once loaded (its chunk is large: the first load may take a while). */
async function editorOf(page: Page, format: 'json' | 'yaml'): Promise<Locator> {
  const editor = page.getByTestId(`editor-${format}`);
  await expect(editor.locator('.view-lines')).toBeVisible({ timeout: 30_000 });
  return editor;
}

/** Replaces the whole text of a Monaco editor by typing one line (Monaco closes brackets as they are typed). */
async function typeInEditor(page: Page, editor: Locator, line: string) {
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(line);
}

/** Replaces the whole text of a Monaco editor by pasting (keeps line breaks and indentation as given). */
async function pasteInEditor(page: Page, editor: Locator, text: string) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
}

/** The problem list under the visible editor. */
const problems = (page: Page) => page.locator('[data-testid="editor-problems"]:visible');

async function expectCreated(page: Page, name: string): Promise<string> {
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  await expect(heading(page, name)).toBeVisible();
  return page.url().split('/').pop()!;
}

test.describe('workflows', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
  // Leaving an authoring page with unsaved work asks first (beforeunload): journeys that reload or
  // go elsewhere on purpose accept; `unloadPrompts` counts the prompts they got.
  let unloadPrompts = 0;
  test.beforeEach(({ page }) => {
    unloadPrompts = 0;
    page.on('dialog', (dialog) => {
      if (dialog.type() === 'beforeunload') unloadPrompts++;
      void dialog.accept();
    });
  });

  test('the list shows stages, instance counts, and pages through the API cursor', async ({ page, api, consoleErrors }) => {
    // A tag both names share, to find the two among every other journey's workflows below.
    const tag = uniqueName('pair');
    const { id, name } = await createWorkflow(api, `listed-${tag}`, [{ wait_event: { event: 'never' } }, { noop: {} }]);
    // One instance that keeps running (it waits for an event)…
    await api.post(`/api/orchestration/v2/workflows/${id}/instances`, {});
    // …and one that fails at once (users:002 has no PSP account id in its metadata).
    const failing = await createWorkflow(api, `failing-${tag}`, [
      { send: { source: { account: { id: 'users:002', ledger: 'main' } }, destination: { payment: { psp: 'stripe' } }, amount: { asset: 'USD/2', amount: 1 } } },
    ]);
    await api.post(`/api/orchestration/v2/workflows/${failing.id}/instances?wait=true`, {});
    // Enough workflows for two pages of 15.
    await Promise.all(Array.from({ length: 16 }, (_, i) => createWorkflow(api, `filler${i}`, [{ noop: {} }])));

    await page.goto(`/workflows?q=${name}`);
    const table = page.getByRole('table', { name: 'Workflows' });
    const row = table.getByRole('row').filter({ hasText: name });
    await expect(row).toContainText('2');
    await expect(row).toContainText('wait event');
    await expect(row).toContainText('noop');
    await expect(row.getByTestId('instance-counts')).toContainText('1 running');
    await expect(row.getByTestId('instance-counts')).toContainText('0 failed');
    // The Run dialog (loaded when first asked for) opens from the row, and closes.
    await row.getByRole('button', { name: `Run ${name}` }).click();
    const runDialog = page.getByRole('dialog', { name: `Run “${name}”` });
    await expect(runDialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(runDialog).toBeHidden();
    await page.goto(`/workflows?q=${failing.name}`);
    await expect(table.getByTestId('instance-counts')).toContainText('1 failed');
    await page.goto(`/workflows?q=${name}`);
    await row.getByRole('link', { name: '1 running' }).click();
    await expect(page).toHaveURL(new RegExp(`/instances\\?.*workflowID=${id}`));
    await expect(page).toHaveURL(/status=running/);

    // Paging through the server's cursor: 15 per page, back and forth.
    await page.goto('/workflows');
    await expect(table.getByRole('row')).toHaveCount(16);
    const firstName = table.getByRole('row').nth(1).getByRole('link').first();
    const first = (await firstName.textContent())!;
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(firstName).not.toHaveText(first);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect(firstName).toHaveText(first);

    // Sorting by creation covers every workflow: newest first on the second click.
    await table.getByRole('button', { name: 'Created' }).click();
    await table.getByRole('button', { name: 'Created' }).click();
    await expect(page).toHaveURL(/sort=createdAt(%3A|:)desc/);
    await expect(page.getByText(/All \d+ workflows, sorted/)).toBeVisible();
    // Other journeys create workflows at the same time, and the table renders only the rows in
    // view: the order of the two is checked among the matches of their tag, with the same sort.
    await page.getByLabel('Search workflows by name or id').fill(tag);
    await expect(page.getByText('2 matches among all workflows')).toBeVisible();
    await expect(page).toHaveURL(/sort=createdAt(%3A|:)desc/);
    const names = await table.getByRole('row').allInnerTexts();
    const at = (n: string) => names.findIndex((r) => r.includes(n));
    expect(at(failing.name)).toBeGreaterThan(0);
    expect(at(failing.name)).toBeLessThan(at(name));
    expect(consoleErrors).toEqual([]);
  });

  test('creates each template through the builder', async ({ page }) => {
    test.setTimeout(90_000);
    const templates = [
      { id: 'ledger-to-wallet', nodes: ['send', 'world', '${walletID}'] },
      { id: 'payin-to-wallet', nodes: ['send', "the payment's amount", '${paymentID}'] },
      { id: 'wallet-to-payout', nodes: ['send', 'stripe', 'PAYOUT'] },
      { id: 'wait-for-event', nodes: ['wait event', 'approved'] },
      { id: 'update-metadata', nodes: ['update', 'users:${userID}'] },
      { id: 'delay', nodes: ['delay', '30s'] },
    ];
    for (const t of templates) {
      await openNewWorkflow(page);
      await page.getByLabel('Start from a template').selectOption(t.id);
      const builder = page.getByRole('form', { name: 'Workflow builder' });
      await expect(builder.getByTestId('stage-card').first()).toBeVisible();
      const name = uniqueName(t.id);
      await builder.getByLabel('Workflow name').fill(name);
      await page.getByRole('button', { name: 'Create workflow' }).click();
      await expectCreated(page, name);
      const graph = page.getByTestId('stage-graph');
      for (const text of t.nodes) await expect(graph).toContainText(text);
    }
  });

  test('builds a workflow stage by stage: kinds, pickers, money preview, reorder, duplicate, remove, validation', async ({ page }) => {
    await openNewWorkflow(page);
    const builder = page.getByRole('form', { name: 'Workflow builder' });
    await builder.getByRole('button', { name: 'Send money' }).click();
    const card = builder.getByTestId('stage-card').first();
    // Required fields are flagged at once, per field.
    await expect(card.getByText('Account address is required').first()).toBeVisible();
    await card.getByLabel('Account address').first().fill('world');
    await card.getByRole('group', { name: 'To: destination' }).getByText('Wallet', { exact: true }).click();
    await card.getByRole('group', { name: 'Wallet by' }).getByText('Name').click();
    await card.getByLabel('Wallet name').fill('main-wallet');
    await card.getByLabel('Asset').fill('USD/2');
    await card.getByLabel('Amount (minor units)').fill('12.5');
    await expect(card.getByText('Integer in minor units (1250 = 12.50 for USD/2)')).toBeVisible();
    await card.getByLabel('Amount (minor units)').fill('1250');
    await expect(card.getByTestId('amount-preview')).toHaveText('= 12.50 USD');
    await card.getByRole('button', { name: 'Add metadata' }).click();
    await card.getByLabel('Key 1').fill('reason');
    await card.getByLabel('Value 1').fill('${reason}');

    await builder.getByRole('button', { name: 'Wait for an event' }).click();
    await builder.getByLabel('Event name').fill('approved');
    await builder.getByRole('button', { name: 'Move stage 2 up' }).click();
    await expect(builder.getByTestId('stage-card').first()).toContainText('Wait for the event “approved”');
    await builder.getByRole('button', { name: 'Duplicate stage 2' }).click();
    await expect(builder.getByTestId('stage-card')).toHaveCount(3);
    await builder.getByRole('button', { name: 'Remove stage 3' }).click();
    await expect(builder.getByTestId('stage-card')).toHaveCount(2);

    // The JSON editor shows what the builder made, and the other way round.
    await page.getByRole('link', { name: 'JSON' }).click();
    const json = await editorOf(page, 'json');
    await expect(json).toContainText('"wait_event"');
    await expect(json).toContainText('"event": "approved"');
    const eventValue = json.locator('.view-line span span', { hasText: /^"approved"$/ }).first();
    await eventValue.click();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.insertText('-by-json');
    // Only the missing name is left (the Create button waits for it).
    await expect(problems(page)).toHaveText(/^Problems \(1\).*Name the workflow/);
    const name = uniqueName('built');
    await page.getByRole('link', { name: 'Builder' }).click();
    await expect(builder.getByLabel('Event name')).toHaveValue('approved-by-json');
    await builder.getByLabel('Workflow name').fill(name);
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await expectCreated(page, name);
    await expect(page.getByTestId('stage-graph')).toContainText('12.50 USD');
    await expect(page.getByTestId('stage-graph')).toContainText('approved-by-json');
    await expect(page.getByTestId('workflow-variables')).toHaveText('${reason}');
  });

  test('placeholders read as hints, and show the ledger each stage kind uses when blank', async ({ page }) => {
    await openNewWorkflow(page);
    const builder = page.getByRole('form', { name: 'Workflow builder' });
    await builder.getByRole('button', { name: 'Send money' }).click();
    await builder.getByRole('button', { name: 'Update account metadata' }).click();
    const sendLedger = builder.getByTestId('stage-card').nth(0).getByLabel('Ledger', { exact: true }).first();
    const updateLedger = builder.getByTestId('stage-card').nth(1).getByLabel('Ledger', { exact: true });
    await expect(sendLedger).toHaveAttribute('placeholder', 'if blank: default');
    await expect(updateLedger).toHaveAttribute('placeholder', 'if blank: main');
    await expect(builder.getByTestId('stage-card').nth(1)).toContainText("Blank: “main” (a send stage's blank ledger is “default”).");
    await builder.getByTestId('stage-card').nth(1).getByRole('button', { name: 'Add metadata' }).click();
    await expect(builder.getByTestId('stage-card').nth(1).getByLabel('Key 1')).toHaveAttribute('placeholder', 'e.g. reason');
    // Lighter than text, italic, in the text font even in a monospace field, and at least 4.5:1.
    const look = await sendLedger.evaluate((el) => {
      const p = getComputedStyle(el, '::placeholder');
      const v = getComputedStyle(el);
      return { style: p.fontStyle, family: p.fontFamily, color: p.color, valueFamily: v.fontFamily, background: getComputedStyle(el).backgroundColor };
    });
    expect(look.style).toBe('italic');
    expect(look.valueFamily).toMatch(/mono/i);
    expect(look.family).not.toMatch(/mono/i);
    const contrast = await page.evaluate(
      ([fg, bg]) => {
        const lum = (c: string) => {
          const [r, g, b] = c
            .match(/\d+/g)!
            .slice(0, 3)
            .map((x) => Number(x) / 255)
            .map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const [a, b] = [lum(fg!), lum(bg!)].sort((x, y) => y - x);
        return (a! + 0.05) / (b! + 0.05);
      },
      [look.color, look.background],
    );
    expect(contrast).toBeGreaterThanOrEqual(4.5);
    // A field with an error shows no example that could pass for a value.
    await expect(builder.getByTestId('stage-card').nth(0).getByLabel('Account address').first()).not.toHaveAttribute('placeholder');
  });

  test('creates one by typing JSON in Monaco: schema error first, then fixed; server errors land on the line and field', async ({ page }) => {
    await openNewWorkflow(page, '?view=json');
    const editor = await editorOf(page, 'json');
    const name = uniqueName('typed');

    // A typo in a key: the schema marks it as you type.
    await typeInEditor(page, editor, `{"name": "${name}", "stages": [{"wait_event": {"evnet": "approved"}}]}`);
    const list = problems(page);
    await expect(list).toContainText('Missing property "event".');
    await expect(list).toContainText('Property evnet is not allowed.');
    await expect(editor.locator('.squiggly-error').first()).toBeVisible();

    // Completion offers the stage kinds; hovering a key shows its docs.
    await pasteInEditor(page, editor, `{\n  "name": "${name}",\n  "stages": [\n    {  }\n  ]\n}`);
    await page.keyboard.press('ControlOrMeta+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.suggest-widget');
    await expect(suggest).toContainText('wait_event');
    await expect(suggest).toContainText('send');
    await page.keyboard.press('Escape');

    await pasteInEditor(
      page,
      editor,
      `{\n  "name": "${name}",\n  "stages": [\n    { "wait_event": { "event": "approved" } },\n    { "send": { "source": { "account": { "id": "world" } }, "destination": { "account": { "id": "users:001" } }, "amount": { "asset": "USD/2", "amount": "12.5" } } }\n  ]\n}`,
    );
    await expect(list).toContainText('Integer in minor units (1250 = 12.50 for USD/2)');
    const eventKey = editor.locator('.view-line span span', { hasText: /^"event"$/ }).first();
    await eventKey.hover();
    await expect(page.locator('.monaco-hover', { hasText: 'Event name (case-sensitive).' })).toBeVisible();

    // Create waits until it is fixed: the banner, the Problems list and the builder name the same one problem.
    const create = page.getByRole('button', { name: 'Create workflow' });
    await expect(create).toBeDisabled();
    const banner = page.getByTestId('definition-problems');
    await expect(banner).toContainText('1 problem to fix before creating the workflow');
    await expect(banner.getByRole('listitem')).toHaveCount(1);
    await expect(banner).toContainText('stages[1].send.amount.amount');
    await expect(list.locator('li')).toHaveCount(1);
    // On line 5, where the send stage is.
    await expect(list.locator('li').first()).toHaveText(/^5:\d+.*Integer in minor units/);
    await page.getByRole('link', { name: 'Builder' }).click();
    const builderForm = page.getByRole('form', { name: 'Workflow builder' });
    await expect(builderForm.getByLabel('Amount (minor units)')).toHaveAttribute('aria-invalid', 'true');
    await expect(builderForm.locator('[aria-invalid="true"]')).toHaveCount(1);

    // Fixed in the editor: no problem left, and it saves.
    await page.getByRole('link', { name: 'JSON' }).click();
    // Fix it by typing over the value.
    await editor
      .locator('.view-line span span', { hasText: /^"12\.5"$/ })
      .first()
      .click({ position: { x: 1, y: 5 } });
    for (let i = 0; i < '"12.5"'.length; i++) await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.type('1250');
    await expect(list).toHaveText(/No problems/);
    await expect(banner).toBeHidden();
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await expectCreated(page, name);
    await expect(page.getByTestId('stage-graph')).toContainText('12.50 USD');
  });

  test('a key the server would ignore (a typo) is named before creating; a typo that drops a required key blocks', async ({ page, api }) => {
    await openNewWorkflow(page, '?view=json');
    const editor = await editorOf(page, 'json');
    const name = uniqueName('typo');
    // "metdata" on an update leaves out the required "metadata": blocked.
    await typeInEditor(page, editor, `{"name": "${name}", "stages": [{"update": {"account": {"id": "users:001", "metdata": {"kyc": "2"}}}}]}`);
    const banner = page.getByTestId('definition-problems');
    await expect(banner).toContainText('1 problem to fix before creating the workflow, and 1 key the server would ignore');
    await expect(banner).toContainText('stages[0].update.account.metdata');
    await expect(page.getByRole('button', { name: 'Create workflow' })).toBeDisabled();
    await expect(problems(page).locator('li')).toHaveCount(2);

    // "colour" on a send: the server would store it and ignore it. Creating asks first and names it.
    await typeInEditor(
      page,
      editor,
      `{"name": "${name}", "stages": [{"send": {"source": {"account": {"id": "world", "ledger": "main"}}, "destination": {"account": {"id": "users:001", "ledger": "main"}}, "amount": {"asset": "USD/2", "amount": 100}, "colour": "red"}}]}`,
    );
    await expect(banner).toContainText('1 key the server does not read');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create with keys the server ignores?' });
    await expect(dialog.getByTestId('ignored-keys')).toHaveText('stages[0].send.colour');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/workflows\/new/);
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await dialog.getByRole('button', { name: 'Create anyway' }).click();
    const id = await expectCreated(page, name);
    const { data } = await api.get<{ data: { config: { stages: { send: Record<string, unknown> }[] } } }>(`/api/orchestration/v2/workflows/${id}`);
    expect(data.config.stages[0]!.send.colour).toBe('red');
  });

  test('the builder checks every field as it changes, and counts what it marks; an empty form cannot be created', async ({ page }) => {
    await openNewWorkflow(page);
    const create = page.getByRole('button', { name: 'Create workflow' });
    const banner = page.getByTestId('definition-problems');
    const builder = page.getByRole('form', { name: 'Workflow builder' });
    // Nothing to create an immutable "Unnamed workflow" from.
    await expect(create).toBeDisabled();
    await expect(banner).toContainText('Name the workflow');
    await builder.getByLabel('Workflow name').fill(uniqueName('checked'));
    await expect(banner).toBeHidden();
    await expect(create).toBeEnabled();

    await builder.getByRole('button', { name: 'Send money' }).click();
    const card = builder.getByTestId('stage-card').first();
    await card.getByLabel('Account address').first().fill('world');
    await card.getByLabel('Account address').last().fill('users:001');
    await card.getByLabel('Asset').fill('USD/2');
    await card.getByLabel('Amount (minor units)').fill('100');
    await expect(banner).toBeHidden();
    // A picker that reveals an empty required field marks it at once (it used to wait for the server).
    await card.getByRole('group', { name: 'To: destination' }).getByText('Wallet', { exact: true }).click();
    await expect(card.getByText('Wallet id is required')).toBeVisible();
    await expect(banner).toContainText('1 problem to fix');
    await card.getByLabel('Asset').fill('usd');
    await expect(banner).toContainText('2 problems to fix');
    await expect(banner.getByRole('listitem')).toHaveCount(2);
    await expect(builder.locator('[aria-invalid="true"]')).toHaveCount(2);
    await expect(create).toBeDisabled();
    // A problem in the banner opens its field.
    await banner.getByRole('button', { name: /wallet\.id/ }).click();
    await expect(card.getByLabel('Wallet id')).toBeFocused();
  });

  test('Tab leaves the JSON and YAML editors, as the hint next to them says', async ({ page }) => {
    await openNewWorkflow(page, '?view=yaml');
    const editor = await editorOf(page, 'yaml');
    const hint = page.locator('[data-testid="editor-keys-hint"]:visible');
    await expect(hint).toContainText('Tab and Shift+Tab leave the editor');
    const input = editor.locator('.native-edit-context, textarea').first();
    await expect(input).toHaveAttribute('aria-describedby', (await hint.getAttribute('id'))!);
    await editor.locator('.view-lines').click();
    const before = await editor.locator('.view-lines').innerText();
    await page.keyboard.press('Tab');
    // Focus moved out of the editor, and no indentation was typed.
    await expect(editor.locator('.monaco-editor.focused')).toHaveCount(0);
    expect(await editor.locator('.view-lines').innerText()).toBe(before);
    await page.keyboard.press('Shift+Tab');
    await expect(editor.locator('.monaco-editor.focused')).toHaveCount(1);
  });

  test('invalid JSON is kept as typed, locks the other views, and the draft survives a reload', async ({ page }) => {
    await openNewWorkflow(page, '?view=json');
    const editor = await editorOf(page, 'json');
    const name = uniqueName('draft');
    // A missing comma: the JSON does not parse.
    await typeInEditor(page, editor, `{"name": "${name}" "stages": [{"noop": {}}]}`);
    await expect(page.getByRole('button', { name: 'Create workflow' })).toBeDisabled();
    await page.getByRole('link', { name: 'Builder' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The JSON has a syntax error' })).toBeVisible();
    await expect(page.getByRole('form', { name: 'Workflow builder' }).getByLabel('Workflow name')).toBeDisabled();
    await page.getByRole('link', { name: 'JSON' }).click();
    await expect(editor).toContainText(`{"name": "${name}" "stages": [{"noop": {}}]}`);

    // Reloading at once still keeps the last keystrokes: the draft is written as the page unloads.
    await page.reload();
    expect(unloadPrompts).toBe(1);
    await expect(page.getByText('Restored your unsaved draft')).toBeVisible();
    await expect(await editorOf(page, 'json')).toContainText(`{"name": "${name}" "stages": [{"noop": {}}]}`);
    await typeInEditor(page, editor, `{"name": "${name}", "stages": [{"noop": {}}]}`);
    await expect(page.getByRole('button', { name: 'Create workflow' })).toBeEnabled();
    await page.getByRole('link', { name: 'Builder' }).click();
    await expect(page.getByRole('form', { name: 'Workflow builder' }).getByLabel('Workflow name')).toHaveValue(name);

    // Discarding drops the draft.
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Discard draft' }).click();
    await expect(page.getByRole('form', { name: 'Workflow builder' }).getByLabel('Workflow name')).toHaveValue('');
    await page.waitForTimeout(600); // longer than the draft's write delay: nothing may write it again
    await page.reload();
    await expect(page.getByText('Restored your unsaved draft')).toHaveCount(0);
  });

  test('leaving the builder with unsaved work asks first, and the draft has the last edit', async ({ page }) => {
    await openNewWorkflow(page);
    const builder = page.getByRole('form', { name: 'Workflow builder' });
    const name = uniqueName('leaving');
    await builder.getByLabel('Workflow name').fill(name);
    // At once, before the draft's pause is over.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instances' }).click();
    const dialog = page.getByRole('dialog', { name: 'Leave without creating the workflow?' });
    await expect(dialog).toContainText('stay in this browser as a draft');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page).toHaveURL(/\/workflows\/new/);
    await expect(builder.getByLabel('Workflow name')).toHaveValue(name);
    // Switching views is not leaving.
    await page.getByRole('link', { name: 'YAML' }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole('link', { name: 'Builder' }).click();
    await builder.getByLabel('Workflow name').fill(`${name}-last`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instances' }).click();
    await dialog.getByRole('button', { name: 'Leave' }).click();
    await expect(page).toHaveURL(/\/instances/);
    await page.goBack();
    await expect(page.getByText('Restored your unsaved draft')).toBeVisible();
    await expect(builder.getByLabel('Workflow name')).toHaveValue(`${name}-last`);
    expect(unloadPrompts).toBe(0);
  });

  test('imports a YAML file (comments kept in the YAML view) and exports JSON and YAML', async ({ page }) => {
    await openNewWorkflow(page);
    const name = uniqueName('imported');
    const yaml = `# imported from a file\nname: ${name}\nstages:\n  - send:\n      source: { account: { id: world, ledger: main } }\n      destination: { account: { id: "users:\${userID}", ledger: main } }\n      amount: { asset: EUR/2, amount: 4200 }\n  - delay: { duration: 1m30s }\n`;
    await page.getByTestId('import-file').setInputFiles({ name: 'flow.yaml', mimeType: 'application/yaml', buffer: Buffer.from(yaml) });
    const builder = page.getByRole('form', { name: 'Workflow builder' });
    await expect(builder.getByLabel('Workflow name')).toHaveValue(name);
    await expect(builder.getByTestId('stage-card')).toHaveCount(2);
    await page.getByRole('link', { name: 'YAML' }).click();
    await expect(await editorOf(page, 'yaml')).toContainText('# imported from a file');

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
    expect(json.suggestedFilename()).toBe(`${name}.json`);
    const exported = JSON.parse(await streamText(json));
    expect(exported.stages[1]).toEqual({ delay: { duration: '1m30s' } });
    const [yamlFile] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export YAML' }).click()]);
    expect(yamlFile.suggestedFilename()).toBe(`${name}.yaml`);
    expect(await streamText(yamlFile)).toContain('# imported from a file');

    await page.getByRole('button', { name: 'Create workflow' }).click();
    await expectCreated(page, name);
    await expect(page.getByTestId('stage-graph')).toContainText('42.00 EUR');
    await expect(page.getByTestId('stage-graph')).toContainText('1m30s');
  });

  test('duplicate & edit shows a Monaco diff against the source before saving the copy', async ({ page, api, consoleErrors }) => {
    // A natural name: this journey takes the diff's screenshot (ids keep runs apart).
    const { data: created } = await api.post<{ data: { id: string } }>('/api/orchestration/v2/workflows', {
      name: 'refund-approval',
      stages: [{ wait_event: { event: 'approved' } }],
    });
    const source = { id: created.id, name: 'refund-approval' };
    await page.goto(`/workflows/${source.id}`);
    await page.getByRole('link', { name: 'Duplicate & edit' }).click();
    await expect(heading(page, `Duplicate “${source.name}”`)).toBeVisible();
    const builder = page.getByRole('form', { name: 'Workflow builder' });
    await expect(builder.getByLabel('Workflow name')).toHaveValue(`${source.name}-copy`);
    await builder.getByLabel('Event name').fill('rejected');

    await page.getByRole('button', { name: 'Review & create' }).click();
    const dialog = page.getByRole('dialog', { name: 'Review the changes before creating the copy' });
    const diff = dialog.getByTestId('definition-diff');
    await expect(diff.locator('.view-lines').first()).toBeVisible({ timeout: 30_000 });
    await expect(diff).toContainText('"approved"');
    await expect(diff).toContainText('"rejected"');
    await expect(diff.locator('.line-insert, .char-insert').first()).toBeVisible();
    // A summary and a way from one change to the next.
    await expect(dialog.getByTestId('diff-summary')).toHaveText('2 changes: +2 −2 lines');
    await dialog.getByRole('button', { name: 'Next change' }).click();
    await expect(dialog.getByRole('button', { name: 'Previous change' })).toBeEnabled();
    if (shots) await page.screenshot({ path: `${shots}/workflows-diff.png` });
    // Closing the review and opening it again: one diff disposed, one made (Monaco used to log
    // "TextModel got disposed before DiffEditorWidget model got reset" here).
    await dialog.getByRole('button', { name: 'Back to editing' }).click();
    await page.getByRole('link', { name: 'Changes' }).click();
    await expect(page.getByTestId('diff-summary')).toHaveText('2 changes: +2 −2 lines');
    await page.getByRole('link', { name: 'Builder' }).click();
    await page.getByRole('button', { name: 'Review & create' }).click();
    await expect(dialog.getByTestId('diff-summary')).toHaveText('2 changes: +2 −2 lines');
    await dialog.getByRole('button', { name: 'Create workflow' }).click();
    const copyId = await expectCreated(page, `${source.name}-copy`);
    expect(copyId).not.toBe(source.id);
    await expect(page.getByTestId('stage-graph')).toContainText('rejected');
    // The source is untouched (definitions are immutable).
    const { data } = await api.get<{ data: { config: unknown } }>(`/api/orchestration/v2/workflows/${source.id}`);
    expect(data.config).toEqual({ name: source.name, stages: [{ wait_event: { event: 'approved' } }] });
    expect(consoleErrors.filter((e) => /disposed/i.test(e))).toEqual([]);
  });

  test('runs with variables (remembered), waits for completion and lands on the instance', async ({ page, api }) => {
    const wf = await createWorkflow(api, 'run', [
      { update: { account: { id: 'users:${userID}', ledger: 'main', metadata: { note: '${note}' } } } },
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { account: { id: 'users:${userID}', ledger: 'main' } },
          amount: { asset: 'USD/2', amount: '${amount}' },
        },
      },
    ]);
    await page.goto(`/workflows/${wf.id}`);
    await expect(page.getByTestId('workflow-variables')).toHaveText('${userID}${note}${amount}');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${wf.name}”` });
    // Blank variables the stages need: nothing runs until they are filled in (or run anyway).
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(dialog.getByTestId('blank-variables')).toContainText('2 required variables are blank (${userID}, ${amount}): the run would fail at stage 1.');
    await expect(dialog.getByText('Required: blank, it breaks stage 1: update.account.id, stage 2: send.destination.account.id')).toBeVisible();
    await expect(dialog.getByLabel('${userID}')).toBeFocused();
    await expect(dialog.getByRole('button', { name: 'Run anyway' })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/workflows/${wf.id}$`));
    await dialog.getByLabel('${userID}').fill('e2e-run');
    await dialog.getByLabel('${note}').fill('hello');
    await dialog.getByLabel('${amount}').fill('12.50');
    await expect(dialog.getByText(/Expected an integer in minor units/)).toBeVisible();
    await dialog.getByLabel('${amount}').fill('1250');
    await dialog.getByLabel('Wait for completion').check();
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page).toHaveURL(/\/instances\/[^/]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/Succeeded/);
    const instanceId = page.url().split('/').pop()!;
    const { data } = await api.get<{ data: { terminated: boolean; error?: string } }>(`/api/orchestration/v2/instances/${instanceId}`);
    expect(data).toMatchObject({ terminated: true });
    expect(data.error).toBeUndefined();

    // The dialog remembers the last values for this workflow.
    await page.goto(`/workflows/${wf.id}`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(dialog.getByLabel('${amount}')).toHaveValue('1250');
    await expect(dialog.getByLabel('Wait for completion')).toBeChecked();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    // The recent instances list it.
    await expect(page.getByRole('table', { name: 'Recent instances' })).toContainText(instanceId);
  });

  test('waiting for completion links to the instance at once, can stop waiting, and never navigates after closing', async ({ page, api }) => {
    const wf = await createWorkflow(api, 'run-wait-event', [{ wait_event: { event: 'approved' } }]);
    await page.goto(`/workflows/${wf.id}`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${wf.name}”` });
    await dialog.getByLabel('Wait for completion').check();
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    const waiting = page.getByRole('dialog', { name: `Waiting for “${wf.name}” to end` });
    await expect(waiting).toContainText('It is at stage 1 of 1.');
    const link = waiting.getByRole('link');
    const first = (await link.textContent())!.trim();
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    // Stop waiting: the dialog closes, the instance runs on, and its end does not pull the page away.
    await waiting.getByRole('button', { name: 'Stop waiting' }).click();
    await expect(waiting).toBeHidden();
    await api.post(`/api/orchestration/v2/instances/${first}/events`, { name: 'approved' });
    await expect.poll(async () => (await api.get<{ data: { terminated: boolean } }>(`/api/orchestration/v2/instances/${first}`)).data.terminated).toBe(true);
    await page.waitForTimeout(2500); // longer than the dialog's polling interval
    await expect(page).toHaveURL(new RegExp(`/workflows/${wf.id}$`));

    // Escape while waiting also stops it.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(waiting).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(waiting).toBeHidden();

    // Waiting until the end opens the instance, whatever the server's own wait limit.
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    const id = (await waiting.getByRole('link').textContent())!.trim();
    await api.post(`/api/orchestration/v2/instances/${id}/events`, { name: 'approved' });
    await expect(page).toHaveURL(new RegExp(`/instances/${id}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(/Succeeded/);
  });

  test('shows run errors inline', async ({ page, api }) => {
    const wf = await createWorkflow(api, 'deleted-run', [{ noop: {} }]);
    await page.goto(`/workflows/${wf.id}`);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: `Run “${wf.name}”` });
    await expect(dialog).toContainText('This definition uses no variables.');
    // Deleted behind the console's back: the server's answer shows in the dialog.
    await api.delete(`/api/orchestration/v2/workflows/${wf.id}`);
    await dialog.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(dialog.getByTestId('run-error')).toContainText('NOT_FOUND');
  });

  test('deletes a workflow after a confirmation that says what happens', async ({ page, api }) => {
    const wf = await createWorkflow(api, 'doomed', [{ noop: {} }]);
    await page.goto(`/workflows?q=${wf.name}`);
    const table = page.getByRole('table', { name: 'Workflows' });
    await expect(table.getByRole('row')).toHaveCount(2);
    await table.getByRole('button', { name: `Delete ${wf.name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this workflow?' });
    await expect(dialog).toContainText('soft-deleted');
    await expect(dialog).toContainText('Running instances are not stopped');
    await dialog.getByRole('button', { name: 'Delete workflow' }).click();
    await expect(page.getByText(`No workflow matches “${wf.name}”`)).toBeVisible();

    // Still readable by id, marked deleted, not runnable.
    await page.goto(`/workflows/${wf.id}`);
    await expect(page.getByText('Deleted', { exact: true }).first()).toBeVisible();
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();

    // From the detail page too.
    const other = await createWorkflow(api, 'doomed-detail', [{ noop: {} }]);
    await page.goto(`/workflows/${other.id}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog', { name: 'Delete this workflow?' }).getByRole('button', { name: 'Delete workflow' }).click();
    await expect(page).toHaveURL(/\/workflows$/);
    const { data } = await api.get<{ data: { deletedAt?: string } }>(`/api/orchestration/v2/workflows/${other.id}`);
    expect(data.deletedAt).toBeTruthy();
  });

  test('detail: graph, JSON/YAML definition, variables; pages pass axe; screenshots', async ({ page, api }) => {
    test.setTimeout(240_000);
    const wf = await createWorkflow(api, 'kitchen', [
      { update: { account: { id: 'users:${userID}', ledger: 'main', metadata: { kyc: '${kycLevel}' } } } },
      { delay: { duration: '30s' } },
      { wait_event: { event: 'approved' } },
      {
        send: {
          source: { account: { id: 'world', ledger: 'main' } },
          destination: { wallet: { name: 'savings' } },
          amount: { asset: 'EUR/2', amount: 1250 },
          metadata: { reason: 'welcome' },
        },
      },
      {
        send: { source: { wallet: { id: '${walletID}' } }, destination: { payment: { psp: 'stripe', type: 'PAYOUT' } }, amount: { asset: 'USD/2', amount: '${amount}' } },
      },
    ]);
    // One instance that stays running (a 30 s delay, then a wait), one of another workflow that fails.
    const { data: run } = await api.post<{ data: { id: string } }>(`/api/orchestration/v2/workflows/${wf.id}/instances`, {
      userID: 'shot',
      kycLevel: '2',
      walletID: 'w',
      amount: '100',
    });
    const failing = await createWorkflow(api, 'payout-no-psp-account', [
      {
        send: {
          source: { account: { id: 'users:002', ledger: 'main' } },
          destination: { payment: { psp: 'stripe', type: 'PAYOUT' } },
          amount: { asset: 'USD/2', amount: 100 },
        },
      },
    ]);
    await api.post(`/api/orchestration/v2/workflows/${failing.id}/instances?wait=true`, {});
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`/workflows/${wf.id}`);
    await expect(page.getByRole('table', { name: 'Recent instances' })).toContainText(run.id);
    await expect(page.getByTestId('instance-counts')).toContainText('1 running');
    const graph = page.getByTestId('stage-graph');
    await expect(graph.getByTestId('stage-node')).toHaveCount(5);
    await expect(graph).toContainText('12.50 EUR');
    await expect(graph).toContainText('“savings”');
    await expect(graph).toContainText('30s');
    await expect(graph).toContainText('approved');
    // In order of appearance in the stored definition (the server's jsonb puts `amount` before `source`).
    await expect(page.getByTestId('workflow-variables')).toHaveText('${userID}${kycLevel}${amount}${walletID}');
    await page.getByRole('link', { name: 'YAML' }).click();
    await expect(page).toHaveURL(/definition=yaml/);
    await expect(page.getByLabel('Workflow definition YAML', { exact: true })).toContainText('wait_event:');
    await page.goBack();
    await expect(page.getByLabel('Workflow definition JSON', { exact: true })).toContainText('"wait_event"');

    for (const path of ['/workflows', `/workflows/${wf.id}`, '/workflows/new', '/workflows/new?view=json', `/workflows/new?from=${wf.id}&view=changes`]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      if (path.includes('/workflows/' + wf.id)) await expect(graph.getByTestId('stage-node')).toHaveCount(5);
      if (path.includes('view=json')) await editorOf(page, 'json');
      if (path.includes('view=changes')) {
        await expect(page.getByTestId('definition-diff').locator('.view-lines').first()).toBeVisible({ timeout: 30_000 });
        // Each side gets its label once mounted, and keeps it when the diff re-applies its options
        // (a narrow window switches it to the inline view).
        const newSide = page.locator('.modified-in-monaco-diff-editor .native-edit-context');
        await expect(newSide).toHaveAttribute('aria-label', /new definition/);
        await expect(page.locator('.original-in-monaco-diff-editor .native-edit-context')).toHaveAttribute('aria-label', /source/);
        const viewport = page.viewportSize()!;
        await page.setViewportSize({ width: 700, height: viewport.height });
        await expect(newSide).toHaveAttribute('aria-label', /new definition/);
        await page.setViewportSize(viewport);
      }
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }

    if (!shots) return;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.goto('/workflows?sort=createdAt:desc');
    const rows = page.getByRole('table', { name: 'Workflows' }).getByRole('row');
    await expect(rows.filter({ hasText: failing.name }).getByTestId('instance-counts')).toContainText('1 failed');
    await expect(page.getByTestId('instance-counts')).toHaveCount((await rows.count()) - 1);
    await page.screenshot({ path: `${shots}/workflows-list.png` });
    await page.goto(`/workflows/${wf.id}`);
    await expect(graph.getByTestId('stage-node')).toHaveCount(5);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${shots}/workflows-detail.png`, fullPage: true });
    await openNewWorkflow(page);
    await page.getByLabel('Start from a template').selectOption('ledger-to-wallet');
    await page.getByRole('form', { name: 'Workflow builder' }).getByRole('button', { name: 'Wait for an event' }).click();
    await page.getByRole('form', { name: 'Workflow builder' }).getByLabel('Event name').fill('approved');
    await page.screenshot({ path: `${shots}/workflows-builder.png`, fullPage: true });
    await page.getByRole('link', { name: 'JSON' }).click();
    const editor = await editorOf(page, 'json');
    await pasteInEditor(
      page,
      editor,
      JSON.stringify(
        {
          name: 'ledger-to-wallet',
          stages: [
            {
              send: {
                source: { account: { id: 'world', ledger: 'default' } },
                destination: { wallet: { id: '${walletID}', balance: 'main' } },
                amount: { asset: 'USD/2', amount: '12.50' },
              },
            },
            { wait_event: { evnet: 'approved' } },
          ],
        },
        null,
        2,
      ),
    );
    await expect(problems(page)).toContainText('Property evnet is not allowed.');
    await editor
      .locator('.view-line span span', { hasText: /^"asset"$/ })
      .first()
      .hover();
    await expect(page.locator('.monaco-hover', { hasText: 'Asset with its precision' })).toBeVisible();
    await page.screenshot({ path: `${shots}/workflows-editor.png` });
  });
});

async function streamText(download: import('@playwright/test').Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
