import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCsvDataset } from './csv-dataset.ts';
import { DatasetError } from './errors.ts';
import { TempTree } from './test-fixtures.ts';

let tree: TempTree;
beforeEach(() => {
  tree = new TempTree();
  tree.wav('clips/dog.wav');
  tree.wav('clips/rain.wav');
  tree.wav('clips/sea.wav');
  tree.write('images/dog.png', 'not really a png; only existence is checked');
});
afterEach(() => tree.remove());

async function rejection(p: Promise<unknown>): Promise<DatasetError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw e;
  }
  throw new Error('expected a DatasetError');
}

describe('loadCsvDataset', () => {
  it('reads a VGGSound-like CSV (BOM, CRLF, quoted captions) into typed items with paths from the CSV folder', async () => {
    const absolute = tree.path('clips/sea.wav');
    const csv = tree.write(
      'meta/train.csv',
      '\uFEFFaudio,caption,label,image\r\n' +
        '../clips/dog.wav,"a dog barks, twice",dog,../images/dog.png\r\n' +
        '../clips/rain.wav,"rain on a ""tin"" roof\r\nat night",rain,\r\n' +
        `${absolute},,sea,\r\n`,
    );
    const ds = await loadCsvDataset(csv);
    expect(ds.problems).toEqual([]);
    expect(ds.metadataFile).toBe(csv);
    expect(ds.classes).toEqual(['dog', 'rain', 'sea']);
    expect(ds.items).toEqual([
      {
        audioPath: tree.path('clips/dog.wav'),
        caption: 'a dog barks, twice',
        label: 'dog',
        imagePath: tree.path('images/dog.png'),
        line: 2,
        row: 1,
      },
      {
        audioPath: tree.path('clips/rain.wav'),
        caption: 'rain on a "tin" roof\r\nat night',
        label: 'rain',
        line: 3,
        row: 2,
      },
      { audioPath: absolute, label: 'sea', line: 5, row: 3 },
    ]);
  });

  it('collects a missing audio or image file as a problem with its row and line, keeping the other rows', async () => {
    const csv = tree.write(
      'data.csv',
      'audio,caption,image\nclips/dog.wav,dog,images/dog.png\nclips/gone.wav,"multi\nline",\nclips/rain.wav,rain,images/none.png\nclips/sea.wav,sea,\n',
    );
    const ds = await loadCsvDataset(csv);
    expect(ds.items.map((i) => path.basename(i.audioPath))).toEqual(['dog.wav', 'sea.wav']);
    expect(ds.problems).toHaveLength(2);
    const [gone, image] = ds.problems;
    expect(gone).toMatchObject({ code: 'MISSING_FILE', file: csv, line: 3, row: 2 });
    expect(gone?.message).toBe(`${csv}:3 (row 2): audio file ${tree.path('clips/gone.wav')} does not exist`);
    expect(image).toMatchObject({ code: 'MISSING_FILE', line: 5, row: 3 });
    expect(image?.message).toContain('image file');
  });

  it('throws the first bad row when fail-fast', async () => {
    const csv = tree.write(
      'data.csv',
      'audio,label\nclips/dog.wav,dog\nclips/gone.wav,x\nclips/also-gone.wav,y\n',
    );
    const e = await rejection(loadCsvDataset(csv, { failFast: true }));
    expect(e).toMatchObject({ code: 'MISSING_FILE', file: csv, line: 3, row: 2 });
  });

  it('sets aside rows with empty audio, neither caption nor label, a wrong field count, or a bad fold', async () => {
    const csv = tree.write(
      'data.csv',
      'audio,caption,label,fold\n,x,y,1\nclips/dog.wav,,,1\nclips/dog.wav,x\nclips/dog.wav,x,y,zero\nclips/rain.wav,rain,rain,2\n',
    );
    const ds = await loadCsvDataset(csv);
    expect(ds.problems.map((p) => [p.code, p.row])).toEqual([
      ['EMPTY_VALUE', 1],
      ['EMPTY_VALUE', 2],
      ['BAD_CSV', 3],
      ['BAD_VALUE', 4],
    ]);
    expect(ds.items).toHaveLength(1);
    expect(ds.items[0]?.fold).toBe(2);
  });

  it('reads configured column names, with a delimiter and a base folder', async () => {
    const csv = tree.write('lists/x.tsv', 'path\ttext\tpicture\ndog.wav\tbarking\t\n');
    const ds = await loadCsvDataset(csv, {
      columns: { audio: 'path', caption: 'text', image: 'picture' },
      delimiter: '\t',
      baseDir: tree.path('clips'),
    });
    expect(ds.items).toEqual([
      { audioPath: tree.path('clips/dog.wav'), caption: 'barking', line: 2, row: 1 },
    ]);
    expect(ds.classes).toEqual([]);
  });

  it('names missing columns: audio, an explicitly requested column, or neither caption nor label', async () => {
    const noAudio = tree.write('a.csv', 'file,caption\nclips/dog.wav,dog\n');
    const e1 = await rejection(loadCsvDataset(noAudio));
    expect(e1.code).toBe('MISSING_COLUMN');
    expect(e1.message).toBe(`${noAudio}:1: no audio column "audio" in the header (columns: file, caption)`);
    const noImage = tree.write('b.csv', 'audio,caption\nclips/dog.wav,dog\n');
    expect((await rejection(loadCsvDataset(noImage, { columns: { image: 'img' } }))).code).toBe(
      'MISSING_COLUMN',
    );
    expect((await loadCsvDataset(noImage)).items).toHaveLength(1);
    const neither = tree.write('c.csv', 'audio,notes\nclips/dog.wav,dog\n');
    expect((await rejection(loadCsvDataset(neither))).message).toContain('neither a caption column');
  });

  it('reports a missing CSV, and EMPTY (with the problems) when no row is usable', async () => {
    const missing = await rejection(loadCsvDataset(tree.path('nope.csv')));
    expect(missing.code).toBe('MISSING_FILE');
    expect(missing.message).toContain('nope.csv');
    const allBad = tree.write('bad.csv', 'audio,label\ngone1.wav,a\ngone2.wav,b\n');
    const empty = await rejection(loadCsvDataset(allBad));
    expect(empty.code).toBe('EMPTY');
    expect(empty.problems.map((p) => p.code)).toEqual(['MISSING_FILE', 'MISSING_FILE']);
    expect(empty.message).toContain('2 row(s) rejected');
    expect((await rejection(loadCsvDataset(tree.write('h.csv', 'audio,label\n')))).code).toBe('EMPTY');
  });

  it('skips file checks when asked, and reports a folder where a clip should be', async () => {
    const csv = tree.write('data.csv', 'audio,label\nnot-there.wav,a\nclips,b\n');
    expect((await loadCsvDataset(csv, { checkFiles: false })).items).toHaveLength(2);
    const e = await rejection(loadCsvDataset(csv));
    expect(e.code).toBe('EMPTY');
    expect(e.problems.map((p) => p.code)).toEqual(['MISSING_FILE', 'FILE_UNREADABLE']);
    expect(e.problems[1]?.message).toContain('is not a regular file');
  });

  it('keeps rows sharing a clip (several captions per clip) as separate items', async () => {
    const csv = tree.write('data.csv', 'audio,caption\nclips/dog.wav,a dog\nclips/dog.wav,barking\n');
    const ds = await loadCsvDataset(csv);
    expect(ds.items.map((i) => i.caption)).toEqual(['a dog', 'barking']);
  });
});
