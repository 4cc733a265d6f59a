import { expect, it } from 'vitest';
// The README's engine example, verbatim apart from the assertions: if this breaks, so does the README.
import { Adam, GraphBuilder, compileGradientProgram } from '@soundedit/models';

it('the README example fits w to the data', async () => {
  const b = new GraphBuilder('fit', 1);
  const x = b.input('x', [8, 3]);
  const t = b.input('t', [8, 1]);
  const w = b.param('w', [3, 1], { kind: 'normal', std: 0.1 });
  const d = b.op('Sub', [b.op('MatMul', [x, w]), t]);
  const loss = b.op('ReduceMean', [b.op('Mul', [d, d])], { keepdims: 0 });
  b.output(loss);

  const feeds = {
    x: { data: new Float32Array(24).fill(1), dims: [8, 3] },
    t: { data: new Float32Array(8).fill(3), dims: [8, 1] },
  };
  const program = await compileGradientProgram(b.model(), { loss, params: [w], exampleFeeds: feeds });
  const adam = new Adam(program.params, { lr: 0.1 });
  for (let i = 0; i < 100; i++) adam.step((await program.step(feeds)).grads);

  const final = await program.step(feeds);
  expect(final.loss).toBeLessThan(1e-3);
  const sum = Array.from(program.params[w]!).reduce((a, v) => a + v, 0);
  expect(sum).toBeCloseTo(3, 1);
});
