import { describe, expect, it } from 'vitest';
import { cellText, ColumnListError, columnLabel, parseColumnList, stageText, type InstanceRow } from './instance-columns';

const row: InstanceRow = {
  id: 'i-1',
  workflowID: 'wf-1',
  createdAt: '2026-01-01T10:00:00.000Z',
  terminated: true,
  terminatedAt: '2026-01-01T10:00:02.500Z',
  error: 'insufficient funds',
  triggerID: 't-1',
  variables: { userID: '42' },
  currentStage: 1,
  workflow: { config: { name: 'payout', stages: [{ noop: {} }, { send: {} }, { noop: {} }] } },
};

describe('instance columns', () => {
  it('parses a column list: known columns and $variables, each once, naming the wrong one', () => {
    expect(parseColumnList('id, status,$userID,,$user id')).toEqual(['id', 'status', '$userID', '$user id']);
    expect(() => parseColumnList('id,colour')).toThrow(ColumnListError);
    expect(() => parseColumnList('id,colour')).toThrow("'colour' is not a column");
    expect(() => parseColumnList('$a,$a')).toThrow("'$a' is listed twice");
    expect(() => parseColumnList('$')).toThrow('needs a variable name');
  });

  it('labels and cell texts', () => {
    expect(columnLabel('trigger')).toBe('Started by');
    expect(columnLabel('$userID')).toBe('${userID}');
    expect(cellText(row, 'workflow')).toBe('payout');
    expect(cellText(row, 'status')).toBe('failed');
    expect(cellText(row, 'trigger', { triggerName: (id) => (id === 't-1' ? 'Deposits' : undefined) })).toBe('Deposits');
    expect(cellText(row, 'trigger')).toBe('t-1');
    expect(cellText({ ...row, triggerID: undefined }, 'trigger')).toBe('by hand');
    expect(cellText(row, 'trigger', { provenance: false })).toBe('');
    expect(cellText(row, 'duration')).toBe('2.500');
    expect(cellText({ ...row, terminated: false, terminatedAt: undefined }, 'duration')).toBe('');
    expect(cellText(row, '$userID')).toBe('42');
    expect(cellText(row, '$missing')).toBe('');
    expect(stageText(row)).toBe('send (2/3)');
    expect(stageText({ currentStage: undefined })).toBe('');
  });
});
