import { describe, expect, it } from 'vitest';
import { DATASET_ERROR_CODES, DatasetError, isDatasetError, ProblemLog, problem } from './errors.ts';

describe('dataset problems and errors', () => {
  it('prefix messages with file, line and row as far as they are known', () => {
    expect(problem('MISSING_FILE', 'gone', { file: 'a.csv', line: 4, row: 3 }).message).toBe(
      'a.csv:4 (row 3): gone',
    );
    expect(problem('UNLISTED_FILE', 'extra', { file: '/d/x.wav' }).message).toBe('/d/x.wav: extra');
    expect(problem('EMPTY', 'nothing').message).toBe('nothing');
  });

  it('turn a problem into a typed error carrying its location', () => {
    const e = DatasetError.fromProblem(problem('BAD_VALUE', 'fold "x"', { file: 'm.csv', line: 2, row: 1 }));
    expect(isDatasetError(e)).toBe(true);
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.code, e.file, e.line, e.row]).toEqual(['DatasetError', 'BAD_VALUE', 'm.csv', 2, 1]);
    expect(isDatasetError(new Error('x'))).toBe(false);
    expect(DATASET_ERROR_CODES).toContain(e.code);
  });

  it('collect problems, or throw the first when failing fast', () => {
    const log = new ProblemLog(false);
    log.add(problem('EMPTY_VALUE', 'a'));
    log.add(problem('DUPLICATE', 'b'));
    expect(log.problems.map((p) => p.code)).toEqual(['EMPTY_VALUE', 'DUPLICATE']);
    expect(() => new ProblemLog(true).add(problem('DUPLICATE', 'b'))).toThrow(DatasetError);
  });
});
